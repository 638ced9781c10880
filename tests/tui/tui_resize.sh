#!/usr/bin/env bash
# The window resized while the program runs (after c): the screen is laid
# out again at once, not when the program next stops; the status line
# still says what runs. /bin/sleep is the program: it never stops by itself.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace
[[ -x /bin/sleep ]] || { echo "skip: no /bin/sleep"; exit 77; }

TABS='^ Code +Registers +TLS / g +Stack +G/M/P +Stages +Output +Command'

tui_start 120 40 /bin/sleep 600
wait_for '^ entry \| pid [0-9]+ '
screen | grep -Eq -- "$TABS" && fail "120x40 already shows the tab bar"
tracee=$(status_pid)
keys c
wait_for 'running continue'

# smaller: the 80x24 layout (one pane, the tab bar above it)
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
wait_for "$TABS" 10
wait_for 'running continue'
[[ -e /proc/$tracee ]] || fail "the program ended"

# larger again: every pane, no tab bar, still running
tmux -L "$SOCK" resize-window -t "$SESSION" -x 160 -y 48
wait_gone "$TABS" 10
wait_for ' Registers'
wait_for 'running continue'
# the legend is on the new last row
[[ $(screen | sed -n 48p) == *'q quit'* ]] || fail "the legend is not on row 48 after the resize"

keys C-c
wait_for '^ interrupted \| pid [0-9]+ '
keys q y
wait_file "$TMP/rc"
[[ $(cat "$TMP/rc") == 0 ]] || fail "bootscope exited with $(cat "$TMP/rc")"
check_clean_exit "$tracee"
echo "resized while running: laid out again at 80x24 and 160x48 before the program stopped"
