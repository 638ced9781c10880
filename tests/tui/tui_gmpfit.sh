#!/usr/bin/env bash
# The layout gives the G/M/P pane the rows other panes' content leaves:
# at 120x40 with GOMAXPROCS=4, stopped at runtime.main, the pane shows
# all four Ps (p0 to p3); the rows after them that do not fit (sched, the
# threads) are counted in its title ("+N more").
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

TUI_ENV="GOMAXPROCS=4" tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys : 'break runtime.main' Enter
wait_for 'Breakpoint 1 at'
keys : 'continue' Enter
wait_for '\| stage runtime\.main' 30
wait_for 'G/M/P  [0-9]+ G +[0-9]+ M +4 P'
screen >/dev/null
# the P table's rows, right of the column line
nps=$(grep -cE 'x ?p[0-3] +[0-3]  _P[a-z]+' "$TMP/screen" || true)
title=$(grep -oE 'G/M/P  [0-9]+ G .*' "$TMP/screen" | head -n 1)
((nps == 4)) || fail "$nps of 4 Ps in the G/M/P pane (title: $title)"
# what does not fit (the sched line, the threads) is counted in the title
if ! grep -Eq 'x ?sched runq' "$TMP/screen"; then
	[[ $title =~ \+([0-9]+)\ more ]] || fail "the sched line is hidden and the title does not say so"
fi
tui_quit

# 100x30: the pane keeps more than two rows (the output moves left)
TUI_ENV="GOMAXPROCS=4" tui_start 100 30 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
screen >/dev/null
top=$(grep -n 'G/M/P ' "$TMP/screen" | head -n 1 | cut -d: -f1)
next=$(awk -v t="$top" 'NR > t && /x (Command|Output|Syscalls)( |$)/ {print NR; exit}' "$TMP/screen")
[[ -n $top && -n $next ]] || fail "no G/M/P pane or nothing below it at 100x30"
((next - top >= 5)) || fail "G/M/P has $((next - top)) rows at 100x30"
tui_quit
echo "ok: G/M/P shows the four Ps at 120x40 and keeps its rows at 100x30"
