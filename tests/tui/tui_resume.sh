#!/usr/bin/env bash
# Stages and history across c, as a person uses the TUI: after c to a
# breakpoint in runtime.gosched_m the Stages pane has every stage up to
# main.main reached, with counts (the bundled hello records every
# instruction of a continue: record-continue on, said at the end of the
# timeline bar). With :set record-continue off the run is one step of the
# history, drawn as a gap in the bar, and S goes back across it to the
# step before it, where the Stages pane shows what was reached then.
#
#   tui_resume.sh BOOTSCOPE HELLO
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

tui_start 160 50 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys ':break runtime.gosched_m' Enter
wait_for 'Breakpoint 1 at 0x[0-9a-f]+'
keys c
wait_for '^ breakpoint \| pid [0-9]+ \| steps [0-9]+ \| stage [^|]+ \| runtime\.gosched_m'
wait_for 'Stages +21 of 22 reached'
grep -Eq '21 main\.main +@[0-9]+ ' "$TMP/screen" || fail "main.main is not shown reached with its count"
grep -Eq '22 runtime\.exit +[a-z]' "$TMP/screen" || fail "runtime.exit is shown reached before the exit"
grep -Eq '^ steps 0 .* record-continue on *$' "$TMP/screen" || fail "the bar does not say record-continue on"
tui_quit

# free runs: one step each, a gap in the bar, and S goes back across it
rm -f "$TMP/rc" "$TMP/stty.after"
SESSION=free
tui_start 160 50 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys ':set record-continue off' Enter
wait_for 'record-continue off *$'
keys s s s s s
wait_for '\| steps 5 \|'
keys ':break runtime.gosched_m' Enter
wait_for 'Breakpoint 1 at 0x[0-9a-f]+'
keys c
wait_for '^ breakpoint \| pid [0-9]+ \| steps 6\+\? \| stage [^|]+ \| runtime\.gosched_m'
grep -Eq 'Stages +21 of 22 reached' "$TMP/screen" || fail "after the free run: not 21 stages reached"
keys s s s
wait_for '\| steps 9\+\? \|'
# the jump (step 6) is a gap between dashes
grep -Eq '^ steps 0 .*- +[-l]' "$TMP/screen" || fail "no gap in the timeline bar: $(grep '^ steps' "$TMP/screen")"
keys S S S S
wait_for '^ HISTORY step 5 of 9 '
grep -Eq 'Stages +3 of 22 reached' "$TMP/screen" ||
	fail "at step 5, before the run: $(grep -Eo 'Stages +[0-9]+ of 22 reached' "$TMP/screen")"
grep -Eq 'stage runtime\.rt0_go \| runtime\.rt0_go\+0x3' "$TMP/screen" ||
	fail "step 5 is not where the fifth s left it: $(status_line)"
keys s
wait_for '^ HISTORY step 6 of 9 .*runtime\.gosched_m'
keys s s s
wait_for '\| steps 9\+\? \|'
tui_quit
echo "ok: stages up to main.main after c; a free run is a gap, and S goes back across it"
