#!/usr/bin/env bash
# The TUI with targets that misbehave the other ways: one that writes
# several MiB (more than the output pipe holds) while continued — `c`
# returns and the output pane ends with its last line — and one whose
# child outlives what the debugger sees (targets/forker.c): after q, and
# after tmux kill-pane while the target runs, no process of it is left.
# usage: tui_children.sh BOOTSCOPE HELLO FORKER
set -euo pipefail
[ -f "$(dirname "$0")/../tui/lib.sh" ] || { echo "skip: no TUI tests helpers"; exit 77; }
. "$(dirname "$0")/../tui/lib.sh" "$1" "$2"
if ! grep -q 'ui_tui_run' <(nm "$BOOTSCOPE" 2>/dev/null); then
	echo "skip: this bootscope has no TUI"
	exit 77
fi
skip_without_ptrace

# A private copy: its processes are told apart by their executable.
FORKER=$TMP/forker-$$
cp "$3" "$FORKER"
SEQ=$(command -v seq)

# ours: the live (not zombie) processes of the copy
ours() {
	local p out=""
	for p in /proc/[0-9]*; do
		[ "$p/exe" -ef "$FORKER" ] || continue
		[[ $(awk '/^State:/ { print $2 }' "$p/status" 2>/dev/null) == [^Z]* ]] &&
			out="$out ${p#/proc/}"
	done
	echo "$out"
}

# none_left WHAT: every process of the copy ends within 5 s
none_left() {
	local end=$((SECONDS + 5)) left
	left=$(ours)
	while [[ -n $left ]] && ((SECONDS <= end)); do
		sleep 0.05
		left=$(ours)
	done
	if [[ -n $left ]]; then
		# shellcheck disable=SC2086
		kill -KILL $left 2>/dev/null || true
		fail "$1: processes of the target left behind:$left"
	fi
}

# Opens the TUI on the forker and continues it to its SIGUSR1: the child
# exists then.
open_forked() {
	rm -f "$TMP/rc" "$TMP/pid" "$TMP/stty.before" "$TMP/stty.after"
	tui_start 100 30 "$FORKER"
	wait_for '\| pid [0-9]+ \|'
	wait_file "$TMP/pid"
	keys c
	wait_for '^ signal \| pid [0-9]+ \|'
	local n
	n=$(wc -w <<<"$(ours)")
	[[ $n -eq 2 ]] || fail "the forker and its child: $n processes, want 2"
}

# 1. Several MiB of output while continued: `c` returns at the exit.
tui_start 100 30 "$SEQ" 1 1000000
wait_for '\| pid [0-9]+ \|'
keys c
wait_for '^ exited \(code 0\)' 60
wait_for '1000000'
quit_yes
wait_file "$TMP/rc"
[[ $(cat "$TMP/rc") == 0 ]] || fail "seq: bootscope exited with $(cat "$TMP/rc") after q"

# 2. q with the target stopped and its child running.
open_forked
tracee=$(status_pid)
quit_yes
wait_file "$TMP/rc"
[[ $(cat "$TMP/rc") == 0 ]] || fail "q: bootscope exited with $(cat "$TMP/rc")"
check_clean_exit "$tracee"
none_left "q"

# 3. tmux kill-pane with the target running (waiting for its child).
open_forked
keys c
wait_for 'running continue'
bpid=$(cat "$TMP/pid")
tmux -L "$SOCK" kill-pane -t "$SESSION"
end=$((SECONDS + 10))
while kill -0 "$bpid" 2>/dev/null &&
	[[ $(awk '/^State:/ { print $2 }' "/proc/$bpid/status" 2>/dev/null) != Z ]]; do
	((SECONDS <= end)) || fail "kill-pane: bootscope $bpid still runs"
	sleep 0.05
done
none_left "kill-pane"

echo "TUI: c over 6.9 MB of output returns; q and kill-pane leave no child of the target"
