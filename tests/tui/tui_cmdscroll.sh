#!/usr/bin/env bash
# PgUp and PgDn read back through a command's output in the command pane
# while the focus stays where it was: after `:info sections` the first
# section (.text) comes back with PgUp, the title says how many lines are
# below, PgDn returns to the newest; a step key gives PgUp back to the
# focused pane.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys : 'info sections' Enter
wait_for '\.shstrtab$'
screen >/dev/null
grep -q 'AX  \.text' "$TMP/screen" && fail ".text already shown: the test needs a short pane"
grep -Eq ' Command  [0-9]+ above' "$TMP/screen" || fail "the command title does not count the lines above"
# a page at a time (the pane's rows less one) until .text shows
for _ in $(seq 12); do
	screen | grep -q 'AX  \.text' && break
	keys PPage
	sleep 0.2
done
wait_for 'AX  \.text' 2
screen >/dev/null
grep -Eq ' Command  .*[0-9]+ lines back' "$TMP/screen" ||
	fail "the scrolled command pane does not say lines are below"
# the focus did not move: the code pane keeps its mark
grep -q '^>Code ' "$TMP/screen" || fail "PgUp moved the focus off the code pane"
for _ in $(seq 12); do
	screen | grep -q 'lines back' || break
	keys NPage
	sleep 0.2
done
wait_gone 'lines back' 2
wait_for '\.shstrtab$'
# a step ends the command pane's hold on PgUp: it scrolls the code again
keys s
wait_for '\| steps 1 \|'
keys PPage
sleep 0.3
screen >/dev/null
grep -q 'AX  \.text' "$TMP/screen" && fail "PgUp after a step still scrolls the command pane"
tui_quit
echo "ok: PgUp/PgDn scroll the command pane after a command, the focus stays"
