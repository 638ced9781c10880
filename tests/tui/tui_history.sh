#!/usr/bin/env bash
# BOOTSCOPE_HISTORY keeps the `:` line's history from one session to the
# next: read at the start (a long file cut to its last 64 lines), each new
# line added at its end; a file that cannot be written is said in the
# command pane, and the line still runs.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

printf 'info tls\nstepi 2\n' >"$TMP/hist"
TUI_ENV="BOOTSCOPE_HISTORY=$TMP/hist"
tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys ':' Up
expect_line ':stepi 2'
keys Up
expect_line ':info tls'
keys Escape
keys ':stepi 3' Enter
wait_for '\| steps 3 \|'
keys ':stepi 3' Enter
wait_for '\| steps 6 \|'
keys ':' Enter
[[ $(cat "$TMP/hist") == $'info tls\nstepi 2\nstepi 3' ]] ||
	fail "the history file holds: $(cat "$TMP/hist")"
tui_quit
tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys ':' Up
expect_line ':stepi 3'
keys Up
expect_line ':stepi 2'
keys Escape
wait_for '^ [a-z]+ \| pid [0-9]+ \| steps '
tui_quit

# A long file is cut to the last 64 lines when read; one that cannot be
# written is said in the command pane, and the line still runs.
seq 1 300 | sed 's/^/print /' >"$TMP/hist"
tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys ':' Up
expect_line ':print 300'
keys Escape
[[ $(wc -l <"$TMP/hist") == 64 && $(head -n 1 "$TMP/hist") == "print 237" &&
	$(tail -n 1 "$TMP/hist") == "print 300" ]] ||
	fail "the history file is not its last 64 lines: $(head -n 2 "$TMP/hist") ... ($(wc -l <"$TMP/hist") lines)"
tui_quit
# (at 200x60 the Command pane has room for the line and the stop)
TUI_ENV="BOOTSCOPE_HISTORY=$TMP/no-such-dir/hist"
tui_start 200 60 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys ':stepi 2' Enter
wait_for '\| steps 2 \|'
# (the pane wraps the line after "file")
wait_for 'cannot write the history file'
grep -Fq 'no-such-dir/hist: No such file or' "$TMP/screen" ||
	fail "the command pane does not name the history file and the error"
tui_quit
