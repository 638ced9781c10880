#!/usr/bin/env bash
# A program that execs another (execer execs the bundled hello): the old
# program's breakpoints and symbols go with it. Each breakpoint is resolved
# again by its location in the new program (main.main moves, runtime.main
# appears, execer.exec becomes pending), an "exec" event says so, nothing
# of the old int3 bytes is written into the new program (which used to die
# of SIGILL), a step that runs execve ends at the new entry, the record
# restarts in the new program, and run starts the first program again.
# nm is the witness for the addresses in both programs.
# usage: exec.sh BOOTSCOPE HELLO EXECER
. "$(dirname "$0")/../badinput/lib.sh"
EXECER=$(realpath -e "${3:?usage: $0 BOOTSCOPE HELLO EXECER}")
skip_without_ptrace

addr() { # PROGRAM SYMBOL: its address as 0x…, by nm
	# (awk reads to the end: an early exit would fail nm with SIGPIPE)
	nm "$1" | awk -v s="$2" '$3 == s && !n++ { print "0x" $1 }' |
		python3 -c 'import sys; print(hex(int(sys.stdin.read(), 16)))'
}
x_main=$(addr "$EXECER" main.main)
x_exec=$(addr "$EXECER" execer.exec)
h_main=$(addr "$HELLO" main.main)
h_rtmain=$(addr "$HELLO" runtime.main)
h_entry=$(addr "$HELLO" _rt0_amd64_linux)
h_entry2=$(addr "$HELLO" _rt0_amd64)
[ "$x_main" != "$h_main" ] || fail "main.main is at the same address in both programs"
# the syscall instruction of execer.exec, by objdump
x_sc=$(objdump -d "$EXECER" |
	awk '/<execer.exec>:/ { f = 1 } f && /\tsyscall/ && !n++ { sub(":", "", $1); print "0x" $1 }')
[ -n "$x_sc" ] || fail "no syscall in execer.exec"

# 1. breakpoints in both programs, one pending until the exec
bs 60 --batch --json -ex 'set breakpoint pending on' -ex 'break runtime.main' \
	-ex 'break main.main' -ex 'break execer.exec' -ex run -ex continue -ex continue \
	-ex 'info breakpoints' -ex 'stepi 3' -ex continue -ex continue "$EXECER" "$HELLO"
no_crash "exec"
expect_rc 0 "exec"
check_jsonl "$TMP/out" "exec"
python3 - "$TMP/out" "$HELLO" "$x_main" "$x_exec" "$h_main" "$h_rtmain" <<'PY' || fail "exec: $(grep -v '"output"' "$TMP/out" | cut -c1-300)"
import sys
from events import load, named, output
path, hello, x_main, x_exec, h_main, h_rtmain = sys.argv[1:]
ev = load(path)
seq = named(ev, "stop", "exec", "exited", "signaled")
def stop(e, reason, pc, bp=None):
    assert e["event"] == "stop" and e["reason"] == reason, e
    assert pc is None or e["pc"] == pc, (e["pc"], pc)
    assert bp is None or e["breakpoint"] == bp, e
b = named(ev, "break")
assert b[0]["pending"] is True and b[0]["addr"] is None and b[0]["spec"] == "runtime.main", b[0]
stop(seq[0], "breakpoint", x_main, 2)
stop(seq[1], "breakpoint", x_exec, 3)
x = seq[2]
assert x["event"] == "exec" and x["path"] == hello, x
assert x["pid"] == seq[0]["tid"], x
bps = {o["id"]: o for o in x["breakpoints"]}
assert bps[1]["addr"] == h_rtmain and not bps[1]["pending"], bps[1]
assert bps[2]["addr"] == h_main and not bps[2]["pending"], bps[2]
assert bps[3]["pending"] and bps[3]["addr"] is None, bps[3]
assert "execer.exec" in bps[3]["error"], bps[3]
stop(seq[3], "breakpoint", h_rtmain, 1)
assert seq[3]["symbol"] == "runtime.main", seq[3]
stop(seq[4], "step", None)
assert seq[4]["symbol"].startswith("runtime.main+"), seq[4]
stop(seq[5], "breakpoint", h_main, 2)
assert seq[6]["event"] == "exited" and seq[6]["code"] == 0, seq[6]
assert len(seq) == 7, [e["event"] for e in seq]
info = named(ev, "breakpoints")[0]["breakpoints"]
assert [o["pending"] for o in info] == [False, False, True], info
assert info[2]["spec"] == "execer.exec" and info[2]["addr"] is None, info[2]
out = output(ev, "stdout")
assert "hello from bootscope" in out and "goodbye" in out, out
PY

# text: gdb's line, then where each breakpoint went
bs 60 --batch -ex 'set breakpoint pending on' -ex 'break runtime.main' -ex 'break execer.exec' \
	-ex run -ex continue "$EXECER" "$HELLO"
expect_rc 0 "exec, text"
grep -q "^process [0-9]* is executing new program: $HELLO\$" "$TMP/out" || fail "exec, text: $(cat "$TMP/out")"
has "$TMP/out" "Breakpoint 1 (runtime.main) at $h_rtmain: runtime.main" "exec, text"
has "$TMP/out" "Breakpoint 2 (execer.exec) pending: no stage or symbol 'execer.exec'" "exec, text"
has "$TMP/out" "Breakpoint 1, $h_rtmain in runtime.main ()" "exec, text"

# 2. the old program's breakpoint is not re-armed at its old address
bs 60 --batch --json -ex 'break main.main' -ex run -ex continue -ex continue "$EXECER" "$HELLO"
no_crash "re-set"
expect_rc 0 "re-set"
python3 - "$TMP/out" "$x_main" "$h_main" <<'PY' || fail "re-set: $(grep -v '"output"' "$TMP/out" | cut -c1-300)"
import sys
from events import load, named
ev = load(sys.argv[1])
seq = named(ev, "stop", "exited", "signaled")
assert [(e["event"], e.get("pc")) for e in seq] == \
    [("stop", sys.argv[2]), ("stop", sys.argv[3]), ("exited", None)], seq
assert seq[-1]["code"] == 0, seq[-1]
PY

# 3. a step that runs execve ends at the new entry; the next one runs it
bs 60 --batch --json -ex "break *$x_sc" -ex run -ex stepi -ex stepi -ex continue "$EXECER" "$HELLO"
no_crash "step over execve"
expect_rc 0 "step over execve"
python3 - "$TMP/out" "$x_sc" "$h_entry" "$h_entry2" <<'PY' || fail "step over execve: $(grep -v '"output"' "$TMP/out" | cut -c1-300)"
import sys
from events import load, named
sc, entry, entry2 = sys.argv[2:]
ev = load(sys.argv[1])
seq = named(ev, "stop", "exec", "exited", "signaled")
assert seq[0]["pc"] == sc, seq[0]
assert seq[1]["event"] == "exec", seq[1]
# *ADDR in the new program is inside an instruction there: pending
assert seq[1]["breakpoints"][0]["pending"], seq[1]
assert seq[2]["reason"] == "step" and seq[2]["pc"] == entry and seq[2]["at_stage"] == "_rt0_amd64_linux", seq[2]
assert seq[2]["steps"] == seq[0]["steps"] + 1, (seq[0]["steps"], seq[2]["steps"])
assert seq[3]["reason"] == "step" and seq[3]["pc"] == entry2, seq[3]
assert seq[4]["event"] == "exited" and seq[4]["code"] == 0, seq[4]
PY

# 4. recording across the exec: the record restarts in the new program
bs 120 --batch --json --record "$TMP/rec.bstl" -ex 'set breakpoint pending on' \
	-ex 'break runtime.main' -ex run -ex 'reverse-stepi 3' -ex 'info record' -ex 'stepi 3' \
	-ex continue "$EXECER" "$HELLO"
no_crash "record"
expect_rc 0 "record"
python3 - "$TMP/out" "$h_rtmain" <<'PY' || fail "record: $(grep -v '"output"' "$TMP/out" | cut -c1-300)"
import sys
from events import load, named
ev = load(sys.argv[1])
x = named(ev, "exec")
assert x and x[0]["history_dropped"] is True, x
st = named(ev, "stop")
assert st[0]["pc"] == sys.argv[2], st[0]
assert st[1]["history"]["first"] > 0 and st[1]["steps"] == st[0]["steps"] - 3, st[1]
assert st[1]["symbol"].startswith("runtime."), st[1]
assert st[2]["pc"] == sys.argv[2] and "history" not in st[2], st[2]
assert named(ev, "exited")[0]["code"] == 0
PY
bs 60 --batch --json --replay "$TMP/rec.bstl" -ex 'info record' -ex 'break runtime.main' -ex run
no_crash "replay"
expect_rc 0 "replay"
[ "$(json_get "$TMP/out" stop pc)" = "$h_rtmain" ] || fail "replay: $(cut -c1-300 "$TMP/out")"

# 5. run again: the first program, with the breakpoints resolved there
bs 60 --batch --json -ex 'break main.main' -ex run -ex continue -ex continue -ex run \
	"$EXECER" "$HELLO"
expect_rc 0 "run again"
python3 - "$TMP/out" "$x_main" <<'PY' || fail "run again: $(grep -v '"output"' "$TMP/out" | cut -c1-300)"
import sys
from events import load, named
ev = load(sys.argv[1])
st = named(ev, "stop")
assert st[-1]["pc"] == sys.argv[2] and st[-1]["symbol"] == "main.main", st[-1]
assert len(named(ev, "exec")) == 1
PY

finish
