#!/usr/bin/env bash
# The timeline in the TUI over the bundled hello: 20 steps forward, S five
# times shows step 15 as history (status line and pane titles), with the
# registers of a fresh batch run of `stepi 15` (the witness) and exact
# stage counts; s goes forward through the record back to the live step;
# { and a click on the bar move the view; --replay opens a recording and
# steps it both ways without a process.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

# The registers pane's value of a register ("0x000000000040115c" -> 0x40115c).
tui_reg() {
	local v
	v=$(grab "s/.*(^|[ x])$1 +0x([0-9a-f]+).*/\2/p")
	[[ -n $v ]] || fail "no $1 in the registers pane"
	printf '0x%x' "0x$v"
}
# A fresh batch run's registers after its commands (the program is
# $HELLO), in the TUI's environment.
batch_regs() {
	env -i TERM=screen "$BOOTSCOPE" --batch --json "$@" -ex 'info registers' "$HELLO" |
		python3 -c 'import sys
from events import hexint, last, load
r = last(load(sys.stdin), "registers")["regs"]
print(" ".join("%s=0x%x" % (k, hexint(r[k])) for k in ("rip", "rsp", "rax", "rbx", "rsi", "eflags")))'
}
tui_regs() {
	local out="" k
	for k in rip rsp rax rbx rsi eflags; do
		out+="$k=$(tui_reg "$k") "
	done
	echo "${out% }"
}
check_regs() { # WHAT BATCH-ARGS...
	local what=$1 want got
	shift
	want=$(batch_regs "$@")
	got=$(tui_regs)
	[[ $got == "$want" ]] || fail "$what: the TUI shows $got, batch $* gives $want"
}
# Stage counts a batch run reports for its stages (name=steps, reached only).
batch_stage_counts() {
	env -i TERM=screen "$BOOTSCOPE" --batch --json "$@" -ex 'info stages' "$HELLO" |
		python3 -c 'import sys
from events import load, named
for ev in named(load(sys.stdin), "stages"):
    print(" ".join("%s=%s" % (s["name"], s["steps"]) for s in ev["stages"] if s["reached"]))'
}
tui_stage_counts() {
	screen | sed -nE 's/^.{0,3}[>+] +[0-9]+ ([^ ]+) +@([0-9?]+).*/\1=\2/p' | tr '\n' ' ' | sed 's/ $//'
}

tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
grep -q 'timeline: nothing recorded yet' "$TMP/screen" || fail "no empty timeline bar at the start"
for _ in $(seq 20); do keys s; done
wait_for '\| steps 20 \|'
wait_for '^ steps 0 .*[|-].* 20 record-continue on *$'

# S five times: step 15, marked as history everywhere.
for _ in 1 2 3 4 5; do keys S; done
wait_for '^ HISTORY step 15 of 20 \| step \|'
screen >/dev/null
grep -Eq '(Registers|Code) .* HISTORY ' "$TMP/screen" || fail "no HISTORY mark on the pane titles"
check_regs "history step 15" -ex 'stepi 15'
want=$(batch_stage_counts -ex 'stepi 15')
got=$(tui_stage_counts)
[[ -n $want && $got == "$want" ]] || fail "stage counts at step 15: TUI '$got', batch '$want'"
# the status colour differs from the live one
tmux -L "$SOCK" capture-pane -e -p -t "$SESSION" | grep -a 'HISTORY step 15' >"$TMP/esc"
python3 - "$TMP/esc" <<'EOF' || fail "the HISTORY tag has the status line's attributes"
import re, sys
line = open(sys.argv[1], errors="replace").read()
# the SGR in effect at "HISTORY" and at "| step |" must differ
def sgr_before(i):
    m = [x for x in re.finditer(r"\x1b\[[0-9;]*m", line[:i])]
    return m[-1].group(0) if m else ""
a = sgr_before(line.index("HISTORY"))
b = sgr_before(line.index("| step |"))
sys.exit(0 if a != b else 1)
EOF

# s goes forward through the record: step 16 is still history.
keys s
wait_for '^ HISTORY step 16 of 20 '
check_regs "history step 16" -ex 'stepi 16'
for _ in 1 2 3 4; do keys s; done
wait_for '^ step \| pid [0-9]+ \| steps 20 \|'
screen | grep -q ' HISTORY ' && fail "a HISTORY mark stays at the live step"
check_regs "live step 20" -ex 'stepi 20'

# { moves the view back a bar cell (20 steps on a ~100-cell bar: one step).
keys '{'
wait_for '^ HISTORY step 19 of 20 '
# a click on the bar's first track cell shows the first step (an xterm
# mouse report: ESC [ M 32+button x+33 y+33)
line=$(screen | grep -nE '^ steps 0 ' | cut -d: -f1)
[[ -n $line ]] || fail "no timeline bar"
row=$((line - 1))
click() {
	local x=$1
	local cx cy
	cx="\\$(printf '%03o' $((x + 33)))"
	cy="\\$(printf '%03o' $((row + 33)))"
	# press (button 0), then release (3)
	keys -l "$(printf '\033[M %b%b\033[M#%b%b' "$cx" "$cy" "$cx" "$cy")"
}
lead=" steps 0 "
click "${#lead}"
wait_for '^ HISTORY step 0 of 20 '
# the cell of stage 4's mark (its number on the bar) holds the step where
# it was reached: batch's count for that stage, and the status names it
bar=$(screen | sed -n "${line}p")
track=${bar:${#lead}}
x4=$((${#lead} + $(expr index "$track" 4) - 1))
[[ ${bar:$x4:1} == 4 ]] || fail "no mark 4 on the bar: '$bar'"
name4=$(awk 'NR == 4' < <(env -i TERM=screen "$BOOTSCOPE" --list-stages --json "$HELLO" |
	python3 -c 'import sys
from events import load, named
for ev in named(load(sys.stdin), "stages"):
    for s in ev["stages"]: print(s["name"])'))
at4=$(sed -nE "s/.*(^| )${name4}=([0-9]+).*/\2/p" <<<"$want")
[[ -n $at4 ]] || fail "batch has no count for stage 4 ($name4) in '$want'"
click "$x4"
wait_for "^ HISTORY step $at4 of 20 \\| [a-z]+ \\| stage $name4 \\|"
for _ in $(seq $((20 - at4))); do keys s; done
wait_for '^ step \| pid [0-9]+ \| steps 20 \|'
tui_quit

# --replay: a recording of 300 steps, opened without a process.
rec=$TMP/hello.bstl
env -i TERM=screen "$BOOTSCOPE" --batch --record "$rec" -ex 'stepi 300' "$HELLO" >/dev/null
[[ -s $rec ]] || fail "no recording written"
rm -f "$TMP/rc" "$TMP/stty.after"
# a session of its own (tui_start starts a fresh tmux server)
SESSION=replay
tui_start 120 40 --replay "$rec"
# it opens where the recorded session ended; r goes to its first step
wait_for '^ REPLAY step 300 of 300 '
keys r
wait_for '^ REPLAY step 0 of 300 '
keys s s s
wait_for '^ REPLAY step 3 of 300 \| step \|'
check_regs "replay step 3" -ex 'stepi 3'
keys S
wait_for '^ REPLAY step 2 of 300 '
check_regs "replay step 2" -ex 'stepi 2'
keys '}'
wait_for '^ REPLAY step [3-9] of 300 '
keys q
wait_file "$TMP/rc"
[[ $(cat "$TMP/rc") == 0 ]] || fail "bootscope --replay exited with $(cat "$TMP/rc") after q"
echo "ok: history at step 15 and 16, back to live, bar moves, replay both ways"
