#!/usr/bin/env bash
# Programs that end on their own before a breakpoint: one exits with a
# status (7) before main.after, which has a breakpoint; two throw in the
# bundled runtime (a negative WaitGroup counter, a deadlock): "fatal
# error: ..." on stderr and status 2. bootscope reports the output and
# "exited" with the status the program has when run directly.
# usage: exits.sh BOOTSCOPE HELLO EARLYEXIT WGTHROW DEADLOCK
. "$(dirname "$0")/../badinput/lib.sh"
EARLY=$(realpath "$3") WGTHROW=$(realpath "$4") DEADLOCK=$(realpath "$5")
skip_without_ptrace

# direct PROG: its status, stdout and stderr when run without bootscope
direct() {
	D_RC=0
	env -u _ "$1" >"$TMP/d_out" 2>"$TMP/d_err" || D_RC=$?
}

# check_end FILE WHAT: output events and the exited event match the
# direct run; no breakpoint was hit.
check_end() {
	python3 - "$1" "$D_RC" "$TMP/d_out" "$TMP/d_err" <<'PY' || fail "$2: $(head -c 800 "$1")"
import sys
from events import load, named, output
ev = load(sys.argv[1])
assert output(ev, "stdout") == open(sys.argv[3]).read(), output(ev, "stdout")
assert output(ev, "stderr") == open(sys.argv[4]).read(), output(ev, "stderr")
ends = named(ev, "exited", "signaled")
assert [(e["event"], e.get("code")) for e in ends] == [("exited", int(sys.argv[2]))], ends
assert not [e for e in ev if e["event"] == "stop" and e["reason"] == "breakpoint"]
PY
}

direct "$EARLY"
[ "$D_RC" -eq 7 ] || fail "earlyexit exits $D_RC when run directly, not 7"
bs 30 --batch --json -ex 'break main.after' -ex run -ex 'info breakpoints' "$EARLY"
no_crash "earlyexit"
expect_rc 0 "earlyexit"
check_jsonl "$TMP/out" "earlyexit"
check_end "$TMP/out" "earlyexit"
bs 30 --batch -ex 'break main.after' -ex run "$EARLY"
has "$TMP/out" "exited with code 7" "earlyexit (text)"
bs 30 --batch -ex 'break main.after' -ex run -ex continue "$EARLY"
expect_rc 1 "continue after exit"
has "$TMP/err" "-ex 3: the program is not being run" "continue after exit"

for prog in "$WGTHROW" "$DEADLOCK"; do
	name=$(basename "$prog")
	direct "$prog"
	[ "$D_RC" -eq 2 ] || fail "$name exits $D_RC when run directly, not 2"
	grep -q '^fatal error: ' "$TMP/d_err" || fail "$name: no fatal error when run directly"
	bs 30 --batch --json -ex run "$prog"
	no_crash "$name"
	expect_rc 0 "$name"
	check_jsonl "$TMP/out" "$name"
	check_end "$TMP/out" "$name"
	bs 30 --batch -ex run "$prog"
	has "$TMP/out" "[stderr] $(head -1 "$TMP/d_err")" "$name (text)"
	has "$TMP/out" "exited with code 2" "$name (text)"
	# the throw itself can be caught: a breakpoint at runtime.throw
	bs 30 --batch --json -ex 'break runtime.throw' -ex run -ex continue "$prog"
	expect_rc 0 "$name: break runtime.throw"
	python3 - "$TMP/out" <<'PY' || fail "$name: break runtime.throw: $(head -c 600 "$TMP/out")"
import sys
from events import load, named
ev = load(sys.argv[1])
stops = named(ev, "stop")
assert stops[0]["reason"] == "breakpoint" and stops[0]["symbol"] == "runtime.throw", stops[0]
assert [e["code"] for e in named(ev, "exited")] == [2]
PY
done

finish
