#!/usr/bin/env bash
# Keys that close or leave: any key closes the help overlay and is not
# also acted on, the help fits at 120x40 and says when it does not; q asks "quit? (y/n)" while the program lives or the
# recording is not saved (n or any other key goes on, y or q again
# quits), and quits at once when nothing is lost (--record FILE saves
# the recording at the end).
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

status_row() {
	screen | tail -n 2 | head -n 1
}

# (at 200x60 the whole help fits)
tui_start 200 60 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
tracee=$(status_pid)

# The help overlay: the key that closes it does nothing else.
for k in s q ':' c; do
	keys '?'
	wait_for 'Help: bootscope keys'
	keys "$k"
	wait_gone 'Help: bootscope keys'
	sleep 0.3
	[[ $(status_row) =~ ^\ entry\ \|\ pid\ $tracee\ \|\ steps\ 0\ \| ]] ||
		fail "'$k' closing the help was also acted on: $(status_row)"
done
[[ -e /proc/$tracee ]] || fail "the tracee $tracee is gone after the help overlay"
keys '?'
wait_for 'Help: bootscope keys'
grep -Fq 'any key closes this help, and does nothing else' "$TMP/screen" ||
	fail "the help does not say how it closes"
keys Escape
wait_gone 'Help: bootscope keys'
# at 120x40 it fits in two columns: the first key, the last, the last line
tmux -L "$SOCK" resize-window -t "$SESSION" -x 120 -y 40
wait_for '^.Code +pc .* x Registers'
keys '?'
wait_for 'Help: bootscope keys'
for want in 'x s i +step one instruction \(stepi\)' ' C-l +redraw the screen ' \
	'any key closes this help, and does nothing else'; do
	grep -Eq -- "$want" "$TMP/screen" || fail "the help at 120x40 lacks /$want/"
done
grep -Fq 'more in a larger terminal' "$TMP/screen" && fail "the help does not fit at 120x40"
# the three rows at the bottom stay in view
[[ $(screen | tail -n 1) == 's step '* ]] || fail "the help covers the key legend"
keys Escape
wait_gone 'Help: bootscope keys'
# at 80x24 it does not fit, and says so
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
wait_for '^ Code +Registers'
keys '?'
wait_for 'more in a larger terminal'
keys Escape
wait_gone 'Help: bootscope keys'
tmux -L "$SOCK" resize-window -t "$SESSION" -x 200 -y 60
wait_for 'Stages +[0-9]+ of [0-9]+ reached'

# q with a live program: the question names what is lost; n goes on.
keys q
# (nothing recorded yet)
wait_for "^ quit\\? \\(y/n\\) the program \\(pid $tracee\\) is killed *$"
keys n
wait_for "^ entry \\| pid $tracee \\| steps 0 \\|"
keys s
wait_for "\\| pid $tracee \\| steps 1 \\|"
# any other key answers no, and is not acted on
keys q
wait_for "^ quit\\? \\(y/n\\) the program \\(pid $tracee\\) is killed; the recording is not saved"
keys s
wait_for "\\| pid $tracee \\| steps 1 \\|"
sleep 0.3
[[ $(status_row) == *"| steps 1 |"* ]] || fail "the key that answered the question also ran: $(status_row)"
[[ -e /proc/$tracee ]] || fail "the tracee $tracee is gone after n"
# q again is yes
keys q
wait_for '^ quit\? \(y/n\)'
keys q
wait_file "$TMP/rc"
[[ $(cat "$TMP/rc") == 0 ]] || fail "bootscope exited with $(cat "$TMP/rc") after q q"
check_clean_exit "$tracee"

# The program ended, its run recorded and not saved: q asks.
tui_start 100 30 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys c
wait_for '^ exited \(code 0\)'
keys q
wait_for '^ quit\? \(y/n\) [0-9]+ recorded steps are not saved \(record save FILE\)'
keys y
wait_file "$TMP/rc"
[[ $(cat "$TMP/rc") == 0 ]] || fail "bootscope exited with $(cat "$TMP/rc") after q y"

# --record FILE saves it at the end: after the exit, q quits at once.
rec="$TMP/run.bstl"
tui_start 100 30 --record "$rec" "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys c
wait_for '^ exited \(code 0\)'
keys q
wait_file "$TMP/rc"
[[ $(cat "$TMP/rc") == 0 ]] || fail "bootscope --record exited with $(cat "$TMP/rc") after q"
[[ -s $rec ]] || fail "no recording written to $rec"
