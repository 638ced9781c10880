#!/usr/bin/env bash
# On a recorded step the registers' "changed:" list describes that step:
# s on a live stop and s again over the recording (after S) mark the same
# registers; S (a step back) and :goto (a jump) mark none, and the status
# line there names the recorded step's pc, as the code pane does.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

changed() {
	screen | grep -oE 'Registers  changed: [a-z0-9_ ]+' | head -n 1 | sed -E 's/ +$//'
}
tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys s s s s
wait_for '\| steps 4 \|'
keys s
wait_for '\| steps 5 \|'
live=$(changed)
[[ -n $live ]] || fail "the fifth step marks no register changed"
keys S
wait_for '^ HISTORY step 4 of 5 '
screen >/dev/null
grep -q 'Registers  changed:' "$TMP/screen" && fail "a step back marks registers changed: $(changed)"
code=$(sed -nE 's/^>?.Code  pc 0x[0-9a-f]+ <([^>]+)>.*/\1/p' "$TMP/screen" | head -n 1)
grep -Eq "^ HISTORY step 4 of 5 .*\\| $code( |\$)" "$TMP/screen" ||
	fail "the HISTORY status line is not at the code pane's $code"
keys s
wait_for '^ HISTORY step 5 of 5 |^ [a-z]+ \| pid [0-9]+ \| steps 5 \|'
wait_for 'Registers  changed:'
again=$(changed)
[[ $again == "$live" ]] || fail "step 5 marks '$again' over the recording, '$live' live"
keys : 'goto 2' Enter
wait_for '^ HISTORY step 2 of 5 '
screen >/dev/null
grep -q 'Registers  changed:' "$TMP/screen" && fail "a jump marks registers changed: $(changed)"
keys : 'goto 5' Enter
wait_for '\| steps 5 \|'
tui_quit
echo "ok: step 5 marks '$live' live and over the recording; S and goto mark nothing"
