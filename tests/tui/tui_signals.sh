#!/usr/bin/env bash
# Every way out restores the terminal and leaves no tracee: Ctrl-C at a stop
# asks "quit? (y/n)", a second Ctrl-C quits; Ctrl-C while the target runs
# interrupts it and the TUI goes on; SIGTERM, SIGHUP and a crash
# (SIGSEGV) of bootscope restore the tty, kill the tracee and end bootscope
# by that signal.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

# Starts a fresh TUI and waits for the entry stop; prints the tracee pid.
open_tui() {
	rm -f "$TMP/rc" "$TMP/pid" "$TMP/stty.before" "$TMP/stty.after"
	tui_start 100 30 "$HELLO"
	wait_for '\| stage _rt0_amd64_linux \|'
	wait_file "$TMP/pid"
}

expect_rc() {
	wait_file "$TMP/rc"
	[[ $(cat "$TMP/rc") == "$1" ]] || fail "$2: bootscope exited with $(cat "$TMP/rc"), expected $1"
}

# Ctrl-C at a stop: the question, "n" keeps going, y quits.
open_tui
tracee=$(status_pid)
keys C-c
wait_for 'quit\? \(y/n\)'
keys n
wait_gone 'quit\? \(y/n\)'
keys s
wait_for '\| steps 1 \|'
keys C-c
wait_for 'quit\? \(y/n\)'
keys y
expect_rc 0 "Ctrl-C then y"
check_clean_exit "$tracee"

# A second Ctrl-C answers the question. (Sent together, the kernel may
# merge two SIGINTs into one, so wait for the question first.)
open_tui
tracee=$(status_pid)
keys C-c
wait_for 'quit\? \(y/n\)'
keys C-c
expect_rc 0 "Ctrl-C Ctrl-C"
check_clean_exit "$tracee"

# Ctrl-C while the target runs interrupts it (a long sleep as the target).
if [[ -x /bin/sleep ]]; then
	rm -f "$TMP/rc" "$TMP/pid"
	tui_start 100 30 /bin/sleep 600
	wait_for '^ entry \| pid [0-9]+ '
	tracee=$(status_pid)
	keys c
	wait_for 'running continue'
	keys C-c
	wait_for '^ interrupted \| pid [0-9]+ '
	[[ -e /proc/$tracee ]] || fail "the interrupted target $tracee is gone"
	keys q y
	expect_rc 0 "q after an interrupt"
	check_clean_exit "$tracee"
fi

# Signals from outside: the exit status is 128 + the signal.
for sig in TERM:143 HUP:129 SEGV:139; do
	open_tui
	tracee=$(status_pid)
	kill -s "${sig%%:*}" "$(cat "$TMP/pid")"
	expect_rc "${sig##*:}" "SIG${sig%%:*}"
	check_clean_exit "$tracee"
done
echo "Ctrl-C (stop, running), SIGTERM, SIGHUP, SIGSEGV: terminal restored, tracee gone"
