#!/usr/bin/env bash
# The command line, scripts, help and resizing: -x runs a script before the
# TUI takes over, after each step the screen is what a full redraw paints,
# a stage reached by a free continue has no exact count (@?), the status
# line says which continue is in force, `:x/2gx $rsp` prints
# what the batch mode prints at the same stop, `?` shows the help, every
# pane's title is on the screen at 80x24, 120x40 and 200x60, and q leaves a
# sane terminal.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

titles=(Code Registers 'TLS / g' Stack 'G/M/P' Stages Output Command)
check_titles() {
	screen >/dev/null
	for t in "${titles[@]}"; do
		grep -Fq "$t" "$TMP/screen" || fail "no '$t' title at $1"
	done
}

# The oracle: batch mode at runtime.check, with the same environment the
# TUI's tracee gets (lib.sh runs bootscope under env -i).
env -i TERM=screen "$BOOTSCOPE" --batch -ex 'break runtime.check' -ex run \
	-ex 'x/2gx $rsp' "$HELLO" >"$TMP/batch.out"
want=$(grep -E '^0x[0-9a-f]+:' "$TMP/batch.out" | head -n 1)
read -r addr v1 v2 <<<"$want"
[[ -n ${v2:-} ]] || fail "unexpected batch output: $(cat "$TMP/batch.out")"

# -x: the script runs first (its output in the command pane), then the
# TUI hands over with the program at its entry point.
printf 'break runtime.args\necho script ran\\n\n' >"$TMP/script.gdb"
tui_start 120 40 -x "$TMP/script.gdb" "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
wait_for 'script done'
grep -Eq 'Breakpoint 1 at 0x[0-9a-f]+: runtime.args' "$TMP/screen" ||
	fail "the script's breakpoint is not in the command pane"
grep -Fq 'script ran' "$TMP/screen" || fail "the script's echo is not in the command pane"
check_titles 120x40

# A step redraws only what changed (code, register and stack rows); after
# each step the screen must be what a full redraw (C-l) paints. The steps
# checked start with the first one that stores to the stack without moving
# rsp (found in batch mode, same program and environment), where a stack
# row changes in place.
args=()
for ((i = 0; i < 400; i++)); do args+=(-ex stepi -ex 'x/6gx $rsp'); done
store=$(env -i TERM=screen "$BOOTSCOPE" --batch --json "${args[@]}" "$HELLO" |
	python3 -c 'import sys
from events import load
step, prev, found = 0, None, None
for ev in load(sys.stdin):
    if ev["event"] == "stop":
        step += 1
    elif ev["event"] == "x":
        cur = (ev["addr"], [i["value"] for i in ev["items"]])
        if not found and prev and prev[0] == cur[0] and prev[1] != cur[1]:
            found = step
        prev = cur
print(found or "")')
[[ -n $store ]] || fail "no stack store at a fixed rsp in the first 400 steps"
if ((store > 1)); then
	keys ":stepi $((store - 1))" Enter
	wait_for "\\| steps $((store - 1)) \\|"
fi
for ((round = 0; round < 4; round++)); do
	before=$(status_steps)
	keys s
	wait_for "\\| steps $((before + 1)) \\|"
	sleep 0.1
	screen >"$TMP/steps.txt"
	keys C-l
	sleep 0.3
	screen >"$TMP/full.txt"
	diff "$TMP/steps.txt" "$TMP/full.txt" >"$TMP/redraw.diff" ||
		fail "after step $((before + 1)) the screen differs from a full redraw: $(cat "$TMP/redraw.diff")"
done

keys ':break runtime.check' Enter
wait_for 'Breakpoint 2 at 0x[0-9a-f]+'
# the bundled programs record every instruction of a continue; free, the
# run is one jump
keys ':set record-continue off' Enter
wait_for 'record-continue off'
keys c
wait_for '\| stage runtime.check \|'
# reached by a free run: no exact count, and the pane says so
grep -Eq 'runtime.check +@\? ' "$TMP/screen" ||
	fail "runtime.check reached by continue does not show @?"
grep -Eq '\| steps [0-9]+\+\? \|' "$TMP/screen" ||
	fail "the status line does not mark the step count as not exact"
keys ':x/2gx $rsp' Enter
wait_for "$addr +$v1"
# the second word may wrap onto the next row of the narrow pane
grep -A1 -E "$addr +$v1" "$TMP/screen" | grep -Fq "$v2" ||
	fail "the command pane does not show $v2 after $addr $v1 (batch: $want)"

keys '?'
wait_for 'Help: bootscope keys'
grep -Fq 'step one instruction (stepi)' "$TMP/screen" || fail "no key list in the help"
keys Escape
wait_gone 'Help: bootscope keys'

tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
wait_for '^ Code +Registers +TLS / g +Stack +G/M/P +Stages +Output +Command'
check_titles 80x24
tmux -L "$SOCK" resize-window -t "$SESSION" -x 200 -y 60
wait_for 'Stages +[0-9]+ of [0-9]+ reached'
check_titles 200x60
# every stage of the catalog fits at 200x60
grep -Eq ' 1 _rt0_amd64_linux' "$TMP/screen" || fail "the first stage is not shown at 200x60"
grep -Eq 'runtime.exit' "$TMP/screen" || fail "the last stage is not shown at 200x60"

tui_quit
