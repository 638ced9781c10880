#!/usr/bin/env bash
# C-l repaints the whole terminal from what the TUI shows: after something
# else wrote over the screen, C-l brings back exactly the screen curses
# itself paints in a full update (a resize away and back, the witness),
# cell by cell (cells.py), and the next step draws on it as on any screen.
# At three sizes: TERM=screen in the C locale (line drawing in the
# alternate character set), xterm-256color in a UTF-8 locale (Unicode line
# drawing, 256 colours), and NO_COLOR with the light theme; and the G/M/P
# diagram's boxes and arrows.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace
command -v python3 >/dev/null || { echo "skip: python3 is not installed"; exit 77; }
CELLS="$(dirname "$0")/cells.py"

capture() {
	tmux -L "$SOCK" capture-pane -e -p -t "$SESSION" >"$1"
}

# until two captures a moment apart agree (the TUI has drawn)
settle() {
	local end=$((SECONDS + 15))
	capture "$1"
	while ((SECONDS <= end)); do
		sleep 0.2
		capture "$TMP/settle"
		if cmp -s "$1" "$TMP/settle" && grep -q ' | steps ' "$1"; then
			return 0
		fi
		cp "$TMP/settle" "$1"
	done
	fail "the screen did not settle"
}

# curses' own full update: the window a column narrower, then back
curses_full() {
	tmux -L "$SOCK" resize-window -t "$SESSION" -x $((cols - 1)) -y "$rows"
	wait_for '\| steps '
	sleep 0.3
	tmux -L "$SOCK" resize-window -t "$SESSION" -x "$cols" -y "$rows"
	settle "$1"
}

# until the screen shows the same cells as $1
wait_same() {
	local end=$((SECONDS + 15))
	while ((SECONDS <= end)); do
		capture "$TMP/now"
		if python3 "$CELLS" "$1" "$TMP/now" >"$TMP/diff"; then
			return 0
		fi
		sleep 0.1
	done
	screen >/dev/null
	fail "$2: $(cat "$TMP/diff")"
}

# check [--diagram] COLS ROWS ENV...: three steps (or, with --diagram,
# runtime.main and the G/M/P pane's diagram, its boxes and arrows in line
# drawing characters), then C-l over a screen written over, then a step.
check() {
	local diagram=false
	if [[ $1 == --diagram ]]; then
		diagram=true
		shift
	fi
	cols=$1 rows=$2
	shift 2
	TUI_ENV="$*" tui_start "$cols" "$rows" "$HELLO"
	wait_for '\| steps 0 \|'
	if $diagram; then
		keys : 'break runtime.main' Enter
		wait_for 'Breakpoint 1 at'
		keys : 'continue' Enter
		wait_for '\| stage runtime\.main' 30
		keys Tab Tab Tab Tab
		wait_for '>G/M/P '
		keys v
		wait_for '>G/M/P  diagram \(v: tables\)'
	else
		keys s s s
		wait_for '\| steps 3 \|'
	fi
	local n
	n=$(status_steps)
	curses_full "$TMP/want3"

	# something else writes over the screen
	local tty
	tty=$(tmux -L "$SOCK" display -p -t "$SESSION" '#{pane_tty}')
	printf '\033[0m\033[2J\033[3;3H\033[41mnot the TUI\033[0m\033[7;1Hxxxxxxxxxxxxxxxxxxxx' >"$tty"
	wait_for 'not the TUI'
	keys C-l
	wait_same "$TMP/want3" "C-l at ${cols}x$rows ($*) is not curses' screen"
	screen | grep -q 'not the TUI' && fail "C-l left what was written over the screen"

	keys s
	wait_for "\\| steps $((n + 1)) \\|"
	settle "$TMP/got4"
	curses_full "$TMP/want4"
	python3 "$CELLS" "$TMP/want4" "$TMP/got4" >"$TMP/diff" ||
		fail "the step after C-l at ${cols}x$rows ($*) drew a wrong screen: $(cat "$TMP/diff")"
	quit_yes
	wait_file "$TMP/rc"
}

check 120 40
check 200 60 TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
check 80 24 NO_COLOR=1 BOOTSCOPE_THEME=light
# an arrow xterm's alternate set lacks (ncurses writes '>' for it), and the
# same in Unicode
check --diagram 120 40 GOMAXPROCS=2 TERM=xterm-256color NO_COLOR=1
check --diagram 120 40 GOMAXPROCS=2 TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
echo "ok: C-l repaints the screen curses paints"
