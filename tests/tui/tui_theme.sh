#!/usr/bin/env bash
# The colour theme as the terminal receives it (tmux capture-pane -e): the
# current instruction is black on a green background and not bold, in both
# variants and in 8 and 256 colours; a changed register is yellow text on
# the dark variant and black on yellow on the light one; --theme beats
# BOOTSCOPE_THEME; NO_COLOR leaves only reverse video and bold.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

ESC=$'\e'
# The screen with its escape sequences.
screen_e() {
	tmux -L "$SOCK" capture-pane -e -p -t "$SESSION" >"$TMP/screen_e"
	cat "$TMP/screen_e"
}

# Start at 120x40, step three times (rsi and rip change), and keep the PC
# line and the rsi register's cell with their escapes.
run_theme() {
	tui_start 120 40 "$@" "$HELLO"
	wait_for '\| stage _rt0_amd64_linux \|'
	keys s s s
	wait_for '^ *> 0x401119 '
	wait_for 'changed: rsi rip'
	screen_e >/dev/null
	pc_line=$(grep -F '> 0x401119 <+9>' "$TMP/screen_e" | head -n 1)
	[[ -n $pc_line ]] || fail "no PC line at 0x401119"
	# the escapes just before the PC line's text
	pc_attr=${pc_line%%> 0x401119*}
	rsi_cell=$(grep -oE "rsi ($ESC\\[[0-9;]*m)*0x00007f" "$TMP/screen_e" | head -n 1)
	[[ -n $rsi_cell ]] || fail "no rsi value on the screen"
	rsi_attr=${rsi_cell#rsi }
	rsi_attr=${rsi_attr%0x00007f}
	tui_quit
}

show() { printf '%q' "$1"; }
# has_sgr TEXT N: some escape in TEXT sets SGR attribute N (tmux may join
# several: ESC[0;1;4m).
has_sgr() {
	local re="\\[([0-9]+;)*$2(;[0-9]+)*m"
	[[ $1 =~ $re ]]
}

# the light variant, 8 colours (TERM=screen)
run_theme --theme light
[[ $pc_attr == *"${ESC}[30m${ESC}[42m"* ]] || fail "light: PC line is $(show "$pc_attr"), not black on green"
! has_sgr "$pc_attr" 1 || fail "light: PC line is bold: $(show "$pc_attr")"
[[ $rsi_attr == *"${ESC}[30m${ESC}[43m"* ]] || fail "light: changed rsi is $(show "$rsi_attr"), not black on yellow"

# the dark variant from the environment, 8 colours
TUI_ENV="BOOTSCOPE_THEME=dark" run_theme
[[ $pc_attr == *"${ESC}[30m${ESC}[42m"* ]] || fail "dark: PC line is $(show "$pc_attr"), not black on green"
! has_sgr "$pc_attr" 1 || fail "dark: PC line is bold: $(show "$pc_attr")"
[[ $rsi_attr == *"${ESC}[33m"* && $rsi_attr != *"${ESC}[43m"* ]] && has_sgr "$rsi_attr" 1 ||
	fail "dark: changed rsi is $(show "$rsi_attr"), not bold yellow"

# --theme beats the environment; 256 colours use the paler shades
TUI_ENV="BOOTSCOPE_THEME=dark TERM=screen-256color" run_theme --theme light
[[ $pc_attr == *"${ESC}[38;5;16m${ESC}[48;5;120m"* ]] || fail "256 light: PC line is $(show "$pc_attr")"
[[ $rsi_attr == *"${ESC}[38;5;16m${ESC}[48;5;220m"* ]] || fail "256 light: changed rsi is $(show "$rsi_attr")"

# NO_COLOR: no colour at all, the PC line in reverse video
TUI_ENV="NO_COLOR=1" run_theme --theme light
if grep -qE "$ESC\\[(3|4)[0-7]m|$ESC\\[(38|48);5;" "$TMP/screen_e"; then
	fail "NO_COLOR: colours on the screen"
fi
has_sgr "$pc_attr" 7 || fail "NO_COLOR: PC line is $(show "$pc_attr"), not reverse"
has_sgr "$rsi_attr" 1 || fail "NO_COLOR: changed rsi is $(show "$rsi_attr"), not bold"

# a bad --theme is one line and a usage error
out=$("$BOOTSCOPE" --theme blue "$HELLO" 2>&1) && fail "--theme blue was accepted"
[[ $out == *"--theme takes 'dark' or 'light', not 'blue'"* ]] || fail "--theme blue said: $out"
echo "ok: theme variants, 256 colours and NO_COLOR as sent to the terminal"
