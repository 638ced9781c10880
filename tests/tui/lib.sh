# Shared helpers of the TUI's tmux tests: sourced, not run.
#
#   . lib.sh BOOTSCOPE HELLO
#   tui_start 120 40 [ARGS...]     bootscope ARGS in a fresh tmux server
#   wait_for 'regex' [SECONDS]     poll the screen until a line matches
#   keys s s ]                     tmux send-keys
#   screen                         the current screen on stdout
#   cmdline, expect_line TEXT      the `:` line's row; wait until it is TEXT
#   tui_quit                       q, y to the question, wait for the exit,
#                                  check tty and tracee
#
# Each test gets its own tmux socket (-L) and temporary directory, removed
# on exit together with the server.
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

BOOTSCOPE=$(realpath "$1")
HELLO=$(realpath "$2")
SOCK="bootscope-tui-$$-$RANDOM"
SESSION=tui

# Every tui_start first ends the test's running tmux server and waits until
# its process is gone: a client that reaches a server still exiting fails
# with "server exited unexpectedly". The socket keeps its name, so a test
# may start the TUI from a subshell.
tui_new_server() {
	local pid end=$((SECONDS + 10))
	pid=$(tmux -L "$SOCK" display-message -p '#{pid}' 2>/dev/null) || pid=
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	while [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do
		sleep 0.02
	done
}

cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	if [[ -s $TMP/pid ]]; then
		kill -KILL "$(cat "$TMP/pid")" 2>/dev/null || true
	fi
	# the pane's shell may still be writing its last file
	rm -rf "$TMP" 2>/dev/null || { sleep 0.2; rm -rf "$TMP"; }
}
trap cleanup EXIT
# a test killed on timeout still takes its tmux server and tracee along
trap 'exit 1' INT TERM HUP

fail() {
	echo "FAIL: $*" >&2
	if [[ -f $TMP/screen ]]; then
		echo "--- screen ---" >&2
		cat "$TMP/screen" >&2
		echo "--------------" >&2
	fi
	exit 1
}

command -v tmux >/dev/null || { echo "tmux is not installed"; exit 77; }

# ptrace may be refused (containers, yama): skip rather than fail.
skip_without_ptrace() {
	ptrace_probe "$BOOTSCOPE" --batch -ex starti -ex 'info registers rip' "$HELLO" || exit 1
}

# Run bootscope in a COLSxROWS tmux window, in a fixed environment
# (env -i TERM=screen, plus $TUI_ENV) so the target's stack is the
# same as under a batch run with that environment. The pane's shell records
# the terminal modes before and after, bootscope's pid and its exit status,
# then stays alive so the screen can still be read.
tui_start() {
	local cols=$1 rows=$2
	shift 2
	tui_new_server
	# a second session in one test must not read the first one's files
	rm -f "$TMP/stty.before" "$TMP/stty.after" "$TMP/pid" "$TMP/rc"
	local args=""
	for a in "$@"; do
		args+=" $(printf '%q' "$a")"
	done
	# bootscope must own the terminal (foreground): exec it from a
	# subshell that first writes its own pid.
	cat >"$TMP/run.sh" <<EOF
stty -a >"$TMP/stty.before"
sh -c 'echo \$\$ >"$TMP/pid"; exec "\$@"' sh env -i TERM=screen ${TUI_ENV:-} $(printf '%q' "$BOOTSCOPE")$args
echo \$? >"$TMP/rc"
stty -a >"$TMP/stty.after"
exec sleep 600
EOF
	# no status bar: the pane is the whole COLSxROWS window
	echo 'set -g status off' >"$TMP/tmux.conf"
	tmux -L "$SOCK" -f "$TMP/tmux.conf" new-session -d -s "$SESSION" \
		-x "$cols" -y "$rows" "bash --norc --noprofile $TMP/run.sh"
}

screen() {
	tmux -L "$SOCK" capture-pane -p -t "$SESSION" >"$TMP/screen"
	cat "$TMP/screen"
}

# wait_for REGEX [SECONDS]: until some line of the screen matches.
wait_for() {
	local re=$1 limit=${2:-15}
	local end=$((SECONDS + limit))
	while ((SECONDS <= end)); do
		if screen | grep -Eq -- "$re"; then
			return 0
		fi
		sleep 0.05
	done
	fail "timed out after ${limit}s waiting for /$re/"
}

# wait_gone REGEX [SECONDS]: until no line matches.
wait_gone() {
	local re=$1 limit=${2:-15}
	local end=$((SECONDS + limit))
	while ((SECONDS <= end)); do
		if ! screen | grep -Eq -- "$re"; then
			return 0
		fi
		sleep 0.05
	done
	fail "timed out after ${limit}s waiting for /$re/ to go"
}

keys() {
	tmux -L "$SOCK" send-keys -t "$SESSION" "$@"
}

# The first match of sed -E expression EXPR on the screen ("" if none).
grab() {
	screen | sed -nE "$1" | head -n 1
}

# The status line's fields. After a continue the step count is not exact
# and reads "steps N+?".
status_line() {
	screen | grep -E '^ *[a-z]+ \| pid [0-9]+ \| steps [0-9]+(\+\?)? \| stage ' | head -n 1
}
status_stage() {
	status_line | sed -nE 's/.*\| stage ([^ |]+) \|.*/\1/p'
}
status_steps() {
	status_line | sed -nE 's/.*\| steps ([0-9]+)(\+\?)? \|.*/\1/p'
}
status_pid() {
	status_line | sed -nE 's/.*\| pid ([0-9]+) \|.*/\1/p'
}

# The command line's row: the status line, second from the bottom, with
# its trailing blanks cut.
cmdline() {
	screen | tail -n 2 | head -n 1 | sed -E 's/ +$//'
}
# expect_line TEXT: the command line shows exactly TEXT (waits for it).
expect_line() {
	local want=$1 end=$((SECONDS + 10)) got
	while ((SECONDS <= end)); do
		got=$(cmdline)
		[[ $got == "$want" ]] && return 0
		sleep 0.05
	done
	fail "the command line shows '$got', not '$want'"
}

wait_file() {
	local f=$1 limit=${2:-15}
	local end=$((SECONDS + limit))
	while ((SECONDS <= end)); do
		[[ -s $f ]] && return 0
		sleep 0.05
	done
	fail "timed out waiting for $f"
}

# After bootscope ended: the terminal modes are those before it started,
# and the traced process (pid $1) is gone.
check_clean_exit() {
	local tracee=$1
	wait_file "$TMP/stty.after"
	# the window size is the tests' doing (resize-window), not a mode
	sed -i -E 's/rows [0-9]+; columns [0-9]+; //' "$TMP/stty.before" "$TMP/stty.after"
	if ! diff -u "$TMP/stty.before" "$TMP/stty.after" >"$TMP/stty.diff"; then
		cat "$TMP/stty.diff" >&2
		fail "terminal modes differ after bootscope exited"
	fi
	local end=$((SECONDS + 5))
	while [[ -e /proc/$tracee ]] && ((SECONDS <= end)); do
		# a zombie being reaped by init is gone for our purpose
		if [[ $(awk '/^State:/ {print $2}' "/proc/$tracee/status" 2>/dev/null) == Z ]]; then
			break
		fi
		sleep 0.05
	done
	if [[ -e /proc/$tracee ]] &&
		[[ $(awk '/^State:/ {print $2}' "/proc/$tracee/status" 2>/dev/null) != Z ]]; then
		fail "the tracee $tracee is still alive: $(cat /proc/$tracee/cmdline | tr '\0' ' ')"
	fi
}

# q, answered y when bootscope asks (a live program or an unsaved record);
# without a question q alone ends it.
quit_yes() {
	keys q
	local end=$((SECONDS + 15))
	while ((SECONDS <= end)); do
		[[ -e $TMP/rc ]] && return 0
		if screen | grep -Eq -- '^ quit\? \(y/n\)'; then
			keys y
			return 0
		fi
		sleep 0.05
	done
	fail "q: neither a question nor an exit within 15 s"
}

tui_quit() {
	local tracee
	# a key just sent (Escape closing the `:` line) may not be drawn yet:
	# wait for the status line
	wait_for '^ *[a-z]+ \| pid [0-9]+ \| steps [0-9]+(\+\?)? \| stage '
	tracee=$(status_pid)
	[[ -n $tracee ]] || fail "no pid on the status line"
	# a live program: q asks first
	keys q
	wait_for "^ quit\\? \\(y/n\\) the program \\(pid $tracee\\) is killed"
	keys y
	wait_file "$TMP/rc"
	check_clean_exit "$tracee"
	[[ $(cat "$TMP/rc") == 0 ]] || fail "bootscope exited with $(cat "$TMP/rc") after q"
}
