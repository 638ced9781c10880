#!/usr/bin/env bash
# A target that ignores SIGTERM, SIGHUP and SIGINT: whatever ends
# bootscope (the end of its script, Ctrl-C, SIGTERM, SIGHUP, SIGQUIT,
# SIGKILL) ends the target too — nothing of it is left running. With
# --record FILE, every way out but SIGKILL saves a recording that loads,
# also when bootscope's stdout is a pipe nobody reads (SIGPIPE).
# usage: sigterm.sh BOOTSCOPE HELLO IGNORETERM
. "$(dirname "$0")/../badinput/lib.sh"
skip_without_ptrace

# A private copy, so its processes are told apart by their executable.
IGN=$TMP/ignoreterm-$$
cp "$3" "$IGN"

# sigign PID: the process ignores SIGTERM (bit 15 of SigIgn)
sigign() {
	local mask
	mask=$(awk '/^SigIgn:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$mask" ] && (( (0x$mask >> 14) & 1 ))
}

# alive PID: exists and is not a zombie
alive() {
	local st
	st=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# wait_target: the pid of our copy once it ignores SIGTERM (10 s at most;
# pgrep: one process, where a scan of /proc from the shell forks hundreds)
wait_target() {
	local i p
	for i in $(seq 100); do
		for p in $(pgrep -xf -- "$IGN"); do
			if sigign "$p"; then
				echo "$p"
				return 0
			fi
		done
		sleep 0.1
	done
	return 1
}

# gone PID WHAT: it ends within 5 s
gone() {
	local i
	for i in $(seq 50); do
		alive "$1" || return 0
		sleep 0.1
	done
	fail "$2: the target $1 is still running: $(grep -E '^(State|PPid|TracerPid)' "/proc/$1/status" | tr '\n' ' ')"
	kill -KILL "$1" 2>/dev/null || true
}

# The program really ignores SIGTERM and SIGHUP on its own.
"$IGN" >/dev/null &
pid=$!
t=$(wait_target) || fail "ignoreterm never ignored SIGTERM"
kill -TERM "$pid"
kill -HUP "$pid"
sleep 0.3
alive "$pid" || fail "ignoreterm died of SIGTERM/SIGHUP when run directly"
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true

# loads FILE WHAT: FILE is a recording bootscope can replay
loads() {
	local out
	if [ ! -f "$1" ]; then
		fail "$2: the recording was not saved ($(head -c 300 "$TMP/err"))"
		return
	fi
	out=$(timeout 60 "$BOOTSCOPE" --replay "$1" --batch -ex 'info record' 2>&1) ||
		fail "$2: the recording does not load: $out"
	grep -Eq 'steps [0-9]+\.\.[1-9][0-9]*' <<<"$out" ||
		fail "$2: the recording holds no steps: $out"
}

# SIGQUIT dumps core by default: not here
ulimit -c 0

# A signal to bootscope while the target runs: sig|bootscope's status.
# --record makes continue single-step: the target runs all the same.
for c in TERM:143 HUP:129 QUIT:131 KILL:137 INT:1; do
	sig=${c%%:*} want=${c##*:}
	rec=$TMP/rec-$sig.bstl
	"$BOOTSCOPE" --batch --record "$rec" -ex run "$IGN" >"$TMP/out" 2>"$TMP/err" </dev/null &
	bpid=$!
	if ! t=$(wait_target); then
		fail "SIG$sig: the target never started under bootscope"
		kill -KILL "$bpid"
		wait "$bpid" 2>/dev/null || true
		continue
	fi
	tracer=$(awk '/^TracerPid:/ { print $2 }' "/proc/$t/status")
	[ "$tracer" = "$bpid" ] || fail "SIG$sig: the target is traced by $tracer, not bootscope ($bpid)"
	kill -"$sig" "$bpid"
	rc=0
	timeout 10 tail --pid="$bpid" -f /dev/null || fail "SIG$sig: bootscope did not end"
	wait "$bpid" || rc=$?
	[ "$rc" -eq "$want" ] || fail "SIG$sig: bootscope's status $rc, want $want ($(cat "$TMP/err"))"
	gone "$t" "SIG$sig to bootscope"
	[ "$sig" = KILL ] || loads "$rec" "SIG$sig with --record"
done

# stdout a pipe whose reader is gone: the first write raises SIGPIPE;
# bootscope saves the recording and ends by SIGPIPE (141), saying nothing.
rec=$TMP/rec-PIPE.bstl
rc=0
python3 - "$BOOTSCOPE" "$rec" "$HELLO" 2>"$TMP/err" <<'PY' || rc=$?
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "--batch", "--record", sys.argv[2],
                    "-ex", "stepi 200", "-ex", "info registers", "-ex", "stepi 200",
                    sys.argv[3]], stdout=w, stderr=subprocess.PIPE, timeout=60)
sys.stderr.buffer.write(p.stderr)
code = p.returncode
sys.exit(128 - code if code < 0 else code)
PY
[ "$rc" -eq 141 ] || fail "SIGPIPE: bootscope's status $rc, want 141 ($(cat "$TMP/err"))"
[ ! -s "$TMP/err" ] || fail "SIGPIPE: bootscope wrote on stderr: $(cat "$TMP/err")"
loads "$rec" "SIGPIPE with --record"

# The end of a script with the target stopped in its loop.
bs 60 --batch -ex 'break main.main' -ex run -ex 'nexti 20' "$IGN"
expect_rc 0 "end of script"
has "$TMP/out" "ignoring SIGTERM" "end of script: the target did not get past its sigactions"
left=$(pids_of "$IGN")
for p in $left; do
	alive "$p" && fail "end of script: target $p left running"
done

finish
