#!/usr/bin/env bash
# z gives the focused pane the whole screen above the timeline, Tab moves
# the zoom to the next pane, z again brings the layout back; at 80x24 the
# tab strip stays.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys s s
wait_for '^ *> 0x401114 '
# the command pane counts the lines above its first shown
keys : 'info sections' Enter
wait_for ' Command  [0-9]+ above'
# focus the stack pane (Code, Registers, TLS / g, Stack)
keys Tab Tab Tab
wait_for '^>Stack '
keys z
wait_for '^>Stack  rsp'
screen >/dev/null
# one pane: no other title, no column line, and stack rows down to the
# row above the timeline (row 37 of 40)
for t in Code Registers 'TLS / g' 'G/M/P' Stages Command; do
	grep -Eq "(^| )[> ]$t( |$)" "$TMP/screen" && fail "'$t' still shown while the stack is zoomed"
done
grep -Fq 'x Registers' "$TMP/screen" && fail "the column line is still drawn"
rows=$(grep -cE '^[> ] 0x7fffffff[0-9a-f]+  0x[0-9a-f]{16}' "$TMP/screen")
((rows == 36)) || fail "the zoomed stack shows $rows slots, not 36 (rows 2 to 37)"
row37=$(sed -n 37p "$TMP/screen")
[[ $row37 =~ ^\ \ 0x7fffffff ]] || fail "row 37 is not a stack slot: '$row37'"
sed -n 38p "$TMP/screen" | grep -q '^ steps ' || fail "the timeline is not on row 38"

# Tab: the zoom follows the focus
keys Tab
wait_for '^>G/M/P '
screen >/dev/null
grep -q '^ Stack ' "$TMP/screen" && fail "the stack stays after Tab"
# z again: every pane back
keys z
wait_for '^ Code '
for t in Code Registers 'TLS / g' Stack 'G/M/P' Stages Command; do
	grep -Fq "$t" "$TMP/screen" || fail "'$t' missing after unzoom"
done
tui_quit

# A pane with rows it cannot show says how many (+N more); zoomed, all fit
tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
for _ in $(seq 15); do keys ']'; done
wait_for 'G/M/P  [0-9]+ G .* \+[0-9]+ more' 40
keys Tab Tab Tab Tab
wait_for '>G/M/P '
keys z
wait_for '^>G/M/P  [0-9]+ G'
screen >/dev/null
grep -q 'more' "$TMP/screen" && fail "the zoomed G/M/P pane still hides rows"
grep -q '^sched ' "$TMP/screen" || fail "no sched line in the zoomed G/M/P pane"
tui_quit

# 80x24 (tabs): the tab strip stays on row 1, the pane below it
tui_start 80 24 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys Tab z
wait_for '^>Registers'
screen >/dev/null
sed -n 1p "$TMP/screen" | grep -Eq '^ ?Code Registers' || fail "no tab strip at 80x24 zoomed"
sed -n 2p "$TMP/screen" | grep -q '^>Registers' || fail "the zoomed pane is not on row 2"
grep -q '^>Code \| ^ Code ' "$TMP/screen" && fail "the code pane stays at 80x24 zoomed"
tui_quit
echo "ok: z zooms the focused pane at 120x40 and 80x24, Tab moves it, z restores"
