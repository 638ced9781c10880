#!/usr/bin/env bash
# The TUI's ways out with a target that ignores SIGTERM, SIGHUP and SIGINT
# and is running (continued into its sleep loop): Ctrl-C then q, and
# SIGTERM, SIGHUP, SIGSEGV, SIGKILL sent to bootscope. Each time the
# target is gone afterwards, and except after SIGKILL (which no program
# can catch) the terminal modes are those from before (stty -a).
# usage: tui_exits.sh BOOTSCOPE HELLO IGNORETERM
set -euo pipefail
IGN=$(realpath "$3")
[ -f "$(dirname "$0")/../tui/lib.sh" ] || { echo "skip: no TUI tests helpers"; exit 77; }
. "$(dirname "$0")/../tui/lib.sh" "$1" "$2"
"$BOOTSCOPE" --help | grep -q -- '--batch' || fail "bootscope --help does not run"
if ! "$BOOTSCOPE" --version >/dev/null || ! grep -q 'ui_tui_run' <(nm "$BOOTSCOPE" 2>/dev/null); then
	echo "skip: this bootscope has no TUI"
	exit 77
fi
skip_without_ptrace

# ignoring PID: the process ignores SIGTERM (bit 15 of SigIgn)
ignoring() {
	local mask
	mask=$(awk '/^SigIgn:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$mask" ] && (( (0x$mask >> 14) & 1 ))
}

# Opens the TUI on the target and continues it into its loop; prints the
# target's pid.
open_running() {
	rm -f "$TMP/rc" "$TMP/pid" "$TMP/stty.before" "$TMP/stty.after"
	tui_start 100 30 "$IGN"
	wait_for '\| stage _rt0_amd64_linux \|'
	wait_file "$TMP/pid"
	local tracee
	tracee=$(status_pid)
	[ -n "$tracee" ] || fail "no pid on the status line"
	# a free run, as the ways out are tested on a running target (the
	# bundled programs single-step a continue by default)
	keys ':set record-continue off' Enter
	wait_for 'record-continue off *$'
	keys c
	local end=$((SECONDS + 10))
	until ignoring "$tracee"; do
		((SECONDS <= end)) || fail "the target never reached its loop"
		sleep 0.05
	done
	echo "$tracee"
}

expect_status() {
	wait_file "$TMP/rc"
	[[ $(cat "$TMP/rc") == "$1" ]] || fail "$2: bootscope exited with $(cat "$TMP/rc"), want $1"
}

# Ctrl-C interrupts the running target, then q quits.
tracee=$(open_running)
keys C-c
wait_for '^ interrupted \| pid [0-9]+ '
quit_yes
expect_status 0 "Ctrl-C, q"
check_clean_exit "$tracee"

for c in TERM:143 HUP:129 SEGV:139; do
	tracee=$(open_running)
	kill -s "${c%%:*}" "$(cat "$TMP/pid")"
	expect_status "${c##*:}" "SIG${c%%:*}"
	check_clean_exit "$tracee"
done

# SIGKILL: nothing runs in bootscope any more; the kernel ends the target
# (PTRACE_O_EXITKILL). The terminal cannot be restored by bootscope.
tracee=$(open_running)
kill -KILL "$(cat "$TMP/pid")"
expect_status 137 "SIGKILL"
end=$((SECONDS + 5))
while [[ -e /proc/$tracee ]] && [[ $(awk '/^State:/ { print $2 }' "/proc/$tracee/status" 2>/dev/null) != Z ]]; do
	((SECONDS <= end)) || fail "SIGKILL: the target $tracee is still alive"
	sleep 0.05
done
echo "running target that ignores SIGTERM: Ctrl-C+q, SIGTERM, SIGHUP, SIGSEGV, SIGKILL leave nothing behind"
