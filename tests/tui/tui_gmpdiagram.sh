#!/usr/bin/env bash
# v on the G/M/P pane draws its diagram: at runtime.main (GOMAXPROCS=2)
# m0's box (its thread id, g0, curg g1) with the arrow to p0's box, p1 with
# no M, the idle P list; on a recorded step before the Ms exist
# (HISTORY) the diagram says so; v again gives the tables back.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

TUI_ENV="GOMAXPROCS=2" tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys : 'break runtime.main' Enter
wait_for 'Breakpoint 1 at'
keys : 'continue' Enter
wait_for '\| stage runtime\.main' 30
pid=$(status_pid)
tid=$(awk '/^Tgid:/ {print $2}' "/proc/$pid/status")
# Code, Registers, TLS / g, Stack, G/M/P
keys Tab Tab Tab Tab
wait_for '>G/M/P '
keys v
wait_for '>G/M/P  diagram \(v: tables\)'
screen >/dev/null
# (tmux shows the line characters as the letters of the VT100 set:
# q a line, x a column, l k m j the corners, + the arrow)
grep -Eq "x ?lq m0 q+k +lq p0 _Prunning q+k" "$TMP/screen" ||
	fail "no box of m0 beside the box of p0"
grep -Eq "x ?x tid  $tid +xq+\+x runnext \+ -" "$TMP/screen" ||
	fail "m0's box does not name thread $tid with an arrow to p0"
grep -Eq "x ?x curg \+ g1 +x" "$TMP/screen" || fail "m0's box does not say curg g1"
grep -Eq "\(no M\) +x runnext" "$TMP/screen" || fail "p1 is not drawn without an M"
grep -Eq "lq p1 _Pidle q+k" "$TMP/screen" || fail "no box of p1"
# zoomed, the whole drawing: the lists end it
grep -Eq '>G/M/P  diagram \(v: tables\)  \+[0-9]+ more' "$TMP/screen" && {
	keys z
	wait_for '^>G/M/P  diagram'
	screen >/dev/null
	keys z
}
grep -Eq "idle Ps \+ p1\s*$" "$TMP/screen" || fail "no idle P list"
grep -Eq "global runq \+ -\s*$" "$TMP/screen" || fail "no global run queue"
wait_for 'x ?Registers'

# a recorded step before mcommoninit: no M yet, marked HISTORY
keys : 'goto 20' Enter
wait_for '^ HISTORY step 20 of [0-9]+ ' 30
wait_for 'G/M/P  diagram .*HISTORY'
wait_for '\(no M yet: runtime.m0 is not set up\)'
screen >/dev/null
grep -q 'lq m0 ' "$TMP/screen" && fail "m0's box stays on a step before the Ms"
# v again: the tables
keys v
wait_for '>G/M/P  [0-9]+ G '
# (the status line shows the recorded step, not the pid)
quit_yes
wait_file "$TMP/rc"
check_clean_exit "$pid"
echo "ok: v draws the G/M/P diagram at runtime.main and on a recorded step"
