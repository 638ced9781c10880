#!/usr/bin/env bash
# Processes the target forks die with it: a child that only waits (fork)
# and one that runs another program (fork+exec, as Go's os/exec does) are
# gone after `kill`, after the end of a batch run, and after SIGTERM or
# SIGKILL to bootscope while the target runs.
# usage: children.sh BOOTSCOPE HELLO FORKER
. "$(dirname "$0")/../badinput/lib.sh"
skip_without_ptrace

# Private copies, so the processes of this test are told apart by their
# executable: the target, and the program its child runs.
FORKER=$TMP/forker-$$
SLEEPER=$TMP/sleeper-$$
cp "$3" "$FORKER"
cp "$(command -v sleep)" "$SLEEPER"

# alive PID: exists and is not a zombie
alive() {
	local line
	while IFS= read -r line; do
		if [[ $line == State:* ]]; then
			[[ $line != *"Z (zombie)"* ]]
			return
		fi
	done <"/proc/$1/status" 2>/dev/null
	return 1
}

# ours: the live processes of our two copies (-ef: same file; no fork per
# process, so a scan stays fast on a busy machine)
ours() {
	local p out=""
	for p in /proc/[0-9]*; do
		if [ "$p/exe" -ef "$FORKER" ] || [ "$p/exe" -ef "$SLEEPER" ]; then
			alive "${p#/proc/}" && out="$out ${p#/proc/}"
		fi
	done
	echo "$out"
}

# describe PIDS: state, parent and process group of each
describe() {
	local p
	for p in "$@"; do
		printf '%s: %s; ' "$p" "$(grep -E '^(Name|State|PPid|NSpgid)' "/proc/$p/status" 2>/dev/null | tr '\n\t' '  ')"
	done
}

# none_left WHAT: every process of ours ends within 5 s (the child of a
# killed target may take a moment); leftovers are reported and killed.
none_left() {
	local left
	for _ in $(seq 100); do
		left=$(ours)
		[ -z "$left" ] && return 0
		sleep 0.05
	done
	# shellcheck disable=SC2086
	fail "$1: left behind: $(describe $left)"
	# shellcheck disable=SC2086
	kill -KILL $left 2>/dev/null || true
}

# wait_count N WHAT: until N processes of ours run (10 s at most)
wait_count() {
	local n
	for _ in $(seq 200); do
		n=$(wc -w <<<"$(ours)")
		[ "$n" -ge "$1" ] && return 0
		sleep 0.05
	done
	fail "$2: $n processes of the target run, want $1"
	return 1
}

# read_until FD TEXT: read bootscope's output lines until one has TEXT
read_until() {
	local line
	while IFS= read -r -t 10 line <&"$1"; do
		echo "$line" >>"$TMP/lines"
		[[ $line == *"$2"* ]] && return 0
	done
	fail "no '$2' from bootscope: $(tail -c 600 "$TMP/lines" 2>/dev/null)"
	return 1
}

for kind in fork exec; do
	if [ "$kind" = fork ]; then
		args=("$FORKER")
	else
		args=("$FORKER" "$SLEEPER" 1000)
	fi

	# The end of a batch run, the target stopped by its SIGUSR1 and its
	# child running.
	bs 30 --batch -ex run "${args[@]}"
	expect_rc 0 "$kind: batch"
	has "$TMP/out" "forker: child" "$kind: batch: the target did not fork"
	has "$TMP/out" "SIGUSR1" "$kind: batch: the target did not stop"
	none_left "$kind: end of batch"

	# `kill`, bootscope still running (commands read from a pipe).
	rm -f "$TMP/lines"
	coproc BS { exec "$BOOTSCOPE" "${args[@]}" 2>&1; }
	# bash forgets BS_PID and the fds once the coprocess ends
	bpid=$BS_PID to_bs=${BS[1]} from_bs=${BS[0]}
	echo run >&"$to_bs"
	if read_until "$from_bs" SIGUSR1; then
		wait_count 2 "$kind: before kill"
		echo kill >&"$to_bs"
		read_until "$from_bs" killed
		kill -0 "$bpid" 2>/dev/null || fail "$kind: kill: bootscope ended"
		none_left "$kind: kill"
	fi
	echo quit >&"$to_bs" || true
	timeout 10 tail --pid="$bpid" -f /dev/null || fail "$kind: quit: bootscope did not end"
	wait "$bpid" 2>/dev/null || true
	none_left "$kind: quit after kill"

	# A signal to bootscope while the target runs (waiting for its child).
	for c in TERM:143 KILL:137; do
		sig=${c%%:*} want=${c##*:}
		"$BOOTSCOPE" --batch -ex run -ex continue "${args[@]}" >"$TMP/out" 2>"$TMP/err" </dev/null &
		bpid=$!
		wait_count 2 "$kind: SIG$sig" || true
		# after the SIGUSR1 stop the continue runs: the target then
		# waits for its child
		for _ in $(seq 200); do
			grep -q SIGUSR1 "$TMP/out" && break
			sleep 0.05
		done
		kill -"$sig" "$bpid"
		rc=0
		timeout 10 tail --pid="$bpid" -f /dev/null || fail "$kind: SIG$sig: bootscope did not end"
		{ wait "$bpid"; } 2>/dev/null || rc=$?
		[ "$rc" -eq "$want" ] || fail "$kind: SIG$sig: bootscope's status $rc, want $want ($(cat "$TMP/err"))"
		none_left "$kind: SIG$sig to bootscope"
	done
done

finish
