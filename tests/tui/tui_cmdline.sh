#!/usr/bin/env bash
# The `:` command line: what it shows is exactly what was typed, as keys
# edit it (Backspace, Delete, Left, Right, Home, End, Ctrl-A, Ctrl-E,
# Ctrl-U, Ctrl-W, Ctrl-K), Esc cancels, a line longer than the screen
# scrolls inside it, Up and Down walk the history (a line entered again
# moves to the newest place), and what Enter runs is what was shown.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'

# The sequence that left old text behind: a long line run, then a short
# one typed over it.
keys ':print &runtime.m0.tls[0]'
expect_line ':print &runtime.m0.tls[0]'
keys Enter
wait_for '\$1 = \(long unsigned int \*\) 0x[0-9a-f]+ <runtime\.m0\+0x88>'
grep -Eq '^ entry \| pid [0-9]+ \| steps 0 \|' <(cmdline) || fail "no status line after the command: $(cmdline)"
keys ':x/2'
expect_line ':x/2'
keys BSpace BSpace
expect_line ':x'
keys BSpace
expect_line ':'
# Backspace on an empty line closes it; nothing ran
keys BSpace
wait_for '^ entry \| pid [0-9]+ \| steps 0 \|'

# Editing in the middle: Left, Right, Home, End, Delete, Ctrl-W
keys ':stpi 3'
expect_line ':stpi 3'
keys Left Left Left Left
keys e
expect_line ':stepi 3'
keys Home DC
expect_line ':tepi 3'
keys s End C-w
expect_line ':stepi'
keys Left Left Left X
expect_line ':steXpi'
keys Right BSpace BSpace Right Right 2
expect_line ':stei 2'
keys C-a Right Right Right p
expect_line ':stepi 2'
keys Enter
wait_for '\| steps 2 \|'

# Ctrl-A, Ctrl-K, Ctrl-U; Esc cancels and runs nothing
keys ':info registers rip'
keys C-a Right Right Right Right C-k
expect_line ':info'
keys ' reg rax' Left Left Left Left C-u
expect_line ': rax'
keys C-e C-u 'stepi 40'
expect_line ':stepi 40'
keys Escape
wait_for '^ [a-z]+ \| pid [0-9]+ \| steps 2 \|'
# (had it run, the next stepi 2 would end at step 44)
# the same line again twice: one history entry
keys ':stepi 2' Enter
wait_for '\| steps 4 \|'

# A line longer than the screen: its end in view (`<` for the hidden
# start), its start after Home (`>` for the hidden end); it runs whole.
long="print 1$(printf '+1%.0s' $(seq 80))"
keys ":$long"
line=$(cmdline)
[[ ${#line} -eq 120 || ${#line} -eq 119 ]] || fail "the long line is not as wide as the screen: '$line'"
[[ $line == "<"*"+1+1" ]] || fail "the long line's end is not in view: '$line'"
[[ ":$long" == *"${line:1}" ]] || fail "the long line shows '$line'"
keys Home
line=$(cmdline)
[[ $line == ":print 1+1"*">" && ${#line} -eq 120 ]] || fail "after Home the line shows '$line'"
[[ ":$long" == "${line%>}"* ]] || fail "after Home the line shows '$line'"
keys Enter
wait_for '\$2 = 81 *$'

# History: Up walks back over distinct lines, Down forward to the line
# that was being typed; a recalled line runs as shown.
keys ':x/1'
keys Up
line=$(cmdline)
[[ $line == "<"*"+1+1" ]] || fail "Up does not recall the long line: '$line'"
keys Up
expect_line ':stepi 2'
keys Up
expect_line ':print &runtime.m0.tls[0]'
keys Up
expect_line ':print &runtime.m0.tls[0]'
keys Down
expect_line ':stepi 2'
keys Down Down
expect_line ':x/1'
keys Up Up BSpace 1
expect_line ':stepi 1'
keys Enter
wait_for '\| steps 5 \|'
keys ':' Up
expect_line ':stepi 1'
keys Escape
# a line entered again moves to the newest place, and is there once
keys ':stepi 2' Enter
wait_for '\| steps 7 \|'
keys ':' Up
expect_line ':stepi 2'
keys Up
expect_line ':stepi 1'
keys Up
line=$(cmdline)
[[ $line == "<"*"+1+1" ]] || fail "the third line back is not the long one: '$line'"
keys Up
expect_line ':print &runtime.m0.tls[0]'
keys Escape
wait_for '^ [a-z]+ \| pid [0-9]+ \| steps 7 \|'

tui_quit

