#!/usr/bin/env bash
# The Threads list (end of the G/M/P pane): at main.main the bundled hello
# has two threads, m0 (running g1) and m1 (sysmon, on m1.g0; or still
# "starting", before its g is stored, when the stop came first). Their tids are
# those of the interpreter's `info threads` (the command pane) and of
# /proc/PID/task; `t` makes the other thread current (the interpreter's
# `thread TID`) and the current marker moves with it.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

# Threads rows: marker, tid, M, fs_base, g label, state.
THREAD_RE='^(.*x)?(\*| ) +([0-9]+) +(m[0-9]+|-) +(0x[0-9a-f]+|0) +([^ ]+) '
threads() {
	screen | sed -nE "s/$THREAD_RE.*/\2 \3 \4 \5 \6/p" | sed 's/^ /-/'
}

tui_start 200 60 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
wait_for 'Threads +tid +M +fs_base +g +state'
keys : 'break main.main' Enter
wait_for 'Breakpoint 1 at 0x[0-9a-f]+: main.main'
keys : continue Enter
wait_for '\| stage main.main \|' 30
wait_for 'G/M/P .* 2 threads'
pid=$(status_pid)
[[ -n $pid ]] || fail "no pid on the status line"

threads >"$TMP/rows"
[[ $(wc -l <"$TMP/rows") == 2 ]] || fail "want 2 thread rows, got: $(cat "$TMP/rows")"
# one row per M, m0 current (the breakpoint hit on g1) and m1 not
read -r mark0 tid0 m0 fs0 g0 <<<"$(grep -E ' m0 ' "$TMP/rows")"
read -r mark1 tid1 m1 fs1 g1 <<<"$(grep -E ' m1 ' "$TMP/rows")"
[[ ${m0:-} == m0 && ${m1:-} == m1 ]] || fail "no m0 and m1 rows: $(cat "$TMP/rows")"
[[ $mark0 == '*' && $mark1 == - ]] || fail "m0 should be current: $(cat "$TMP/rows")"
[[ $g0 == g1 ]] || fail "m0's g is $g0, not g1"
screen | grep -Eq " $tid1 .* (m1\.g0 +sysmon|- +starting)" ||
	fail "m1 is neither sysmon on m1.g0 nor starting: $(cat "$TMP/rows")"

# the kernel's view of the same process
want=$(ls "/proc/$pid/task" | sort -n | tr '\n' ' ')
got=$(printf '%s\n' "$tid0" "$tid1" | sort -n | tr '\n' ' ')
[[ $got == "$want" ]] || fail "tids: pane '$got', /proc/$pid/task '$want'"

# the interpreter's info threads, in the command pane (its lines wrap
# before or after the word fs_base, as wide as the pane is)
keys : 'info threads' Enter
wait_for "^(.*x)?\\* $tid0 +0x[0-9a-f]+ +main\\.main"
wait_for "^(.*x)?  $tid1 +0x[0-9a-f]+ "
wait_for "(fs_base |x)$fs0 +g g1 m0 "
wait_for "(fs_base |x)$fs1 +(g [^ ]+ )?m1 (sysmon|starting)"

# t: the current thread is m1's now, for the interpreter too
keys t
wait_for "\\[Current thread is $tid1\\]"
wait_for "^(.*x)?\\* +$tid1 +m1 "
threads >"$TMP/rows"
grep -Eq "^- $tid0 m0 " "$TMP/rows" || fail "m0 still marked after t: $(cat "$TMP/rows")"
wait_for "^(.*x)?fs_base +$fs1 +="
# and back, wrapping
keys t
wait_for "\\[Current thread is $tid0\\]"
wait_for "^(.*x)?\\* +$tid0 +m0 "

tui_quit
echo "ok: threads $tid0 (m0) and $tid1 (m1, sysmon); t moved the marker"
