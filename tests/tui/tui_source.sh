#!/usr/bin/env bash
# The Source pane: at a breakpoint on runtime.schedinit it shows proc.c
# with the line gdb gives for the function marked (=>) and named in its
# title; `v` puts the source lines between the Code pane's instructions;
# a file that is not found is named in the pane.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: no gdb" >&2; exit 77; }

# the witness: gdb's line of runtime.schedinit and that line's text
line=$(gdb -nx -batch -ex 'info line runtime.schedinit' "$HELLO" 2>/dev/null |
	sed -n 's/^Line \([0-9]*\) of .*/\1/p')
text=$(gdb -nx -batch -ex "list proc.c:$line,$line" "$HELLO" 2>/dev/null | sed -n "s/^$line\t//p" |
	sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
[[ -n $line && -n $text ]] || fail "gdb gave no line for runtime.schedinit"

printf 'break runtime.schedinit\nrun\n' >"$TMP/script.gdb"
tui_start 120 40 -x "$TMP/script.gdb" "$HELLO"
wait_for "Source +proc\.c:$line"
# the marked line: "=>", its number, its text
screen >/dev/null
grep -Eq "=> +$line +" "$TMP/screen" || fail "no '=> $line' row in the Source pane"
grep -E "=> +$line +" "$TMP/screen" | grep -Fq -- "$text" ||
	fail "the marked row is not '$text': $(grep -E "=> +$line" "$TMP/screen")"
# one marked row only
[[ $(grep -Ec "=> +[0-9]+ " "$TMP/screen") == 1 ]] || fail "more than one marked source row"

# v: the Code pane gets "proc.c:LINE  TEXT" rows above the instructions
keys v
# (the Code pane is the left column: its rows start the screen's lines)
wait_for "^proc\.c:$line +$(printf '%s' "$text" | sed 's/[][\.*^$(){}+?|/]/\\&/g')"
screen >/dev/null
grep -A1 -E "^proc\.c:$line " "$TMP/screen" | grep -Eq '^\*?> 0x[0-9a-f]+ <\+0>' ||
	fail "the source row is not above the pc's instruction"
keys v
wait_gone "^proc\.c:$line  "

# a file not found: the pane says which path it looked for
keys : 'set substitute-path / /nonexistent/' Enter
keys s
wait_for "cannot find source file \.\./target-runtime/proc\.c"
wait_for "\(tried /nonexistent/"

tui_quit
finish
