#!/usr/bin/env bash
# Signals that are not faults: a SIGUSR1 or SIGABRT the program sends
# itself and a SIGSTOP sent from outside stop the program with the sender's
# pid, and no fault address (si_addr means nothing for them); a real fault
# keeps its address (segv.sh). In text and in JSON.
# usage: signals.sh BOOTSCOPE HELLO
. "$(dirname "$0")/../badinput/lib.sh"
skip_without_ptrace

# check_sent FILE SIGNAL SENDER WHAT: one signal stop, sent by SENDER
# ("self": the program's own pid), without fault_addr
check_sent() {
	python3 - "$@" <<'PY' || fail "$4: $(head -c 600 "$1")"
import sys
from events import load
path, sig, sender = sys.argv[1:4]
ev = load(path)
st = [e for e in ev if e["event"] == "stop" and e["reason"] == "signal"]
assert len(st) >= 1, ev
s = st[0]
assert s["signal"] == sig, s["signal"]
assert "fault_addr" not in s, s
want = s["tid"] if sender == "self" else int(sender)
assert s["sender_pid"] == want, (s["sender_pid"], want)
PY
}

printf 'kill -USR1 $$\nkill -ABRT $$\n' >"$TMP/sig.sh"

bs 30 --batch --json -ex run /bin/sh "$TMP/sig.sh"
no_crash "SIGUSR1 json"
check_jsonl "$TMP/out" "SIGUSR1 json"
check_sent "$TMP/out" SIGUSR1 self "SIGUSR1 json"

# the first signal delivered (the default action of SIGUSR1 ends sh), so
# ignore it to reach the SIGABRT
printf 'trap "" USR1\nkill -USR1 $$\nkill -ABRT $$\n' >"$TMP/sig2.sh"
bs 30 --batch --json -ex run -ex continue /bin/sh "$TMP/sig2.sh"
python3 - "$TMP/out" <<'PY' || fail "SIGABRT json: $(head -c 600 "$TMP/out")"
import sys
from events import load
ev = load(sys.argv[1])
st = [e for e in ev if e["event"] == "stop" and e["reason"] == "signal"]
assert [s["signal"] for s in st] == ["SIGUSR1", "SIGABRT"], st
for s in st:
    assert "fault_addr" not in s and s["sender_pid"] == s["tid"], s
PY

bs 30 --batch -ex run /bin/sh "$TMP/sig.sh"
grep -q '^Program received signal SIGUSR1 (sent by pid [0-9]*), ' "$TMP/out" ||
	fail "SIGUSR1 text: $(head -c 600 "$TMP/out")"
hasnt "$TMP/out" "fault address" "SIGUSR1 text"

# SIGSTOP from outside, once the program sleeps (state S, not a ptrace stop)
cp /bin/sleep "$TMP/sleep"
timeout -k 2 60 "$BOOTSCOPE" --batch --json -ex run "$TMP/sleep" 30 \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
bspid=$!
children() { # PID: its children (pids), from /proc
	local f c=""
	for f in /proc/"$1"/task/*/children; do
		c="$c $(cat "$f" 2>/dev/null || true)"
	done
	echo $c
}
# timeout's child is bootscope, whose child is the program
target=""
deadline=$((SECONDS + 60))
while [ $SECONDS -lt $deadline ]; do
	for p in $(children "$bspid"); do
		for t in $(children "$p"); do
			if [ "$(readlink "/proc/$t/exe" 2>/dev/null || true)" = "$TMP/sleep" ] &&
				[ "$(cut -d' ' -f3 "/proc/$t/stat" 2>/dev/null || true)" = S ]; then
				target=$t
			fi
		done
	done
	[ -z "$target" ] || break
	sleep 0.05
done
if [ -z "$target" ]; then
	fail "SIGSTOP: the program never slept"
	kill "$bspid" 2>/dev/null || true
else
	kill -STOP "$target"
fi
RC=0
wait "$bspid" || RC=$?
no_crash "SIGSTOP"
expect_rc 0 "SIGSTOP"
check_sent "$TMP/out" SIGSTOP "$BASHPID" "SIGSTOP from outside"

finish
