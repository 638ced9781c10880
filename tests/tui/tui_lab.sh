#!/usr/bin/env bash
# The lab pane: `bootscope --lab 4` followed start to end in the TUI, doing
# what each step says (] to a stage, :catch syscall and c to a system
# call, s) before L checks where the student is. The lab file is the
# oracle for what the pane must show: each step's title, the start of its
# text, no check expression before L, and after L one PASS per check of
# where the step ends (the expects after its last command that runs the
# program), with L leaving the process (pid) and the recorded history as
# they were. Answers typed with `a` are graded by L: a right one RIGHT, a
# wrong one WRONG without the expected one (lab 4 does not reveal), with
# it in a copy that says #@reveal after-submit (gdb reads the value).
# Then a copy of the lab with one false expect, replayed with D (the
# teacher's demo: the lab's own commands), shows FAIL with the expected
# value (the one written in the copy) and the actual one (the syscall
# number the kernel's header gives for arch_prctl), and the lab tab at
# 80x24.
#
#   tui_lab.sh BOOTSCOPE HELLO LABFILE   (LABFILE: labs/04-tls.bs)
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
LABFILE=$(realpath "$3")
skip_without_ptrace

number=$(sed -nE 's/^#@lab ([0-9]+) .*/\1/p' "$LABFILE")
[[ $number == 4 ]] || fail "$LABFILE is lab '$number', not lab 4"
mkdir "$TMP/labs" "$TMP/bad"
cp "$LABFILE" "$TMP/labs/"

# Per step: title, first words of its text, its expect expressions, and
# those after its last command that runs the program (the ones L checks).
mapfile -t titles < <(sed -nE 's/^#@step (.*)/\1/p' "$LABFILE")
nsteps=${#titles[@]}
((nsteps == 4)) || fail "lab 4 has $nsteps steps"
step_says=()
step_expects=()
step_final=()
k=-1
while IFS= read -r line; do
	case $line in
	'#@step '*) k=$((k + 1)); step_says[k]=; step_expects[k]=; step_final[k]= ;;
	'#@say '*) [[ -z ${step_says[k]:-} && $k -ge 0 ]] &&
		step_says[k]=$(cut -d' ' -f2-4 <<<"$line") ;;
	'expect '*) ((k >= 0)) && step_expects[k]+="${line#expect }"$'\n' &&
		step_final[k]+="${line#expect }"$'\n' ;;
	continue* | stepi* | nexti* | finish* | until* | advance* | run | starti)
		((k >= 0)) && step_final[k]= ;;
	esac
done <"$LABFILE"
total=$(grep -c '^expect ' "$LABFILE")

# The history's length from a new `info record`: an echo after it marks
# where its answer ends, so that an earlier answer still on the screen is
# not taken for it.
history_len() {
	# unique per call: it runs in a command substitution, where a
	# counter's increment would be lost
	local m=hlmark$RANDOM$RANDOM
	keys ':info record' Enter
	keys ":echo $m" Enter
	# the echo's output, at the start of the Command pane (after its
	# border), not the command line that typed it
	wait_for "(^|x)$m( |\$)"
	awk -v re="(^|x)$m( |\$)" '$0 ~ re { exit } { print }' "$TMP/screen" |
		grep -Eo 'Recording on \(every instruction\): steps 0\.\.[0-9]+' | tail -1 |
		grep -Eo '[0-9]+$'
}

# The pane at 200x60 has room for a step's checks.
TUI_ENV="BOOTSCOPE_LABS=$TMP/labs" tui_start 200 60 --lab 4
wait_for 'Lab +4, step 1/4, 0/[0-9]+ checks passed'
wait_for "Step 1 of $nsteps: ${titles[0]}"

run_step() {
	local k=$1 n want e all pid hist
	mapfile -t want < <(printf '%s' "${step_final[$k]}")
	mapfile -t all < <(printf '%s' "${step_expects[$k]}")
	n=${#want[@]}
	((n > 0)) || fail "step $((k + 1)) has no check of where it ends"
	screen >/dev/null
	for e in "${all[@]}"; do
		! grep -Fq -- "$e" "$TMP/screen" || fail "step $((k + 1)): '$e' shown before L"
	done
	grep -Eq 'Checks: [0-9]+, hidden until L' "$TMP/screen" ||
		fail "step $((k + 1)): the pane does not say the checks are hidden"
	pid=$(status_pid)
	hist=$(history_len)
	[[ -n $hist ]] || fail "step $((k + 1)): info record gave no history length"
	keys L
	wait_for "Checks here: $n of $n passed" 60
	cp "$TMP/screen" "$TMP/after_L"
	for e in "${want[@]}"; do
		grep -Fq "PASS $e" "$TMP/screen" || fail "step $((k + 1)): no 'PASS $e'"
	done
	! grep -Fq 'FAIL ' "$TMP/screen" || fail "step $((k + 1)): a check failed"
	[[ $(status_pid) == "$pid" ]] || fail "step $((k + 1)): L changed the pid ($pid)"
	[[ -d /proc/$pid ]] || fail "step $((k + 1)): process $pid is gone after L"
	[[ $(history_len) == "$hist" ]] || fail "step $((k + 1)): L changed the history ($hist)"
}

# ] until the status line's stage is $1.
to_stage() {
	for ((i = 0; i < 16; i++)); do
		[[ $(status_stage) == "$1" ]] && return
		keys ']'
		sleep 0.2
	done
	[[ $(status_stage) == "$1" ]] || fail "] never reached $1"
}

for ((k = 0; k < nsteps; k++)); do
	wait_for "Step $((k + 1)) of $nsteps: ${titles[$k]}"
	grep -Fq "${step_says[$k]}" "$TMP/screen" ||
		fail "step $((k + 1)): its text '${step_says[$k]}...' is not shown"
	case $k in
	0)	# "Press ] until the Stages pane highlights rt0_go.settls"
		to_stage rt0_go.settls
		# the answers: a right one and a wrong one
		keys a
		wait_for '^answer 1\.1:'
		keys -l 0
		keys Enter
		wait_for 'answer 1\.1 kept; L checks it'
		keys a
		wait_for '^answer 1\.2:'
		keys -l 0x1
		keys Enter
		wait_for '= 0x1 +\(L checks it\)'
		;;
	1)	# ":catch syscall arch_prctl and press c ... Press c again"
		keys ':catch syscall arch_prctl' Enter
		wait_for '[Cc]atchpoint [0-9]+ .*arch_prctl'
		keys c
		wait_for 'catchpoint [0-9]+: call to arch_prctl *$' 30
		keys c
		wait_for 'catchpoint [0-9]+: arch_prctl returned 0 *$' 30
		wait_for 'fs_base +0x[0-9a-f]+ += &m0.tls\[0\] \+ 8'
		;;
	2)	# "Press ] to reach rt0_go.tls_check ... Press s"
		to_stage rt0_go.tls_check
		keys s
		sleep 0.3
		;;
	3)	# "Press ] to reach rt0_go.wire, then s ... Press ] again
		# (runtime.check)"
		to_stage rt0_go.wire
		keys s
		sleep 0.3
		to_stage runtime.check
		;;
	esac
	run_step "$k"
	if ((k == 0)); then
		grep -Eq '= 0 +RIGHT' "$TMP/after_L" || fail "the right answer is not RIGHT"
		grep -Eq '= 0x1 +WRONG *(x|│|$)' "$TMP/after_L" ||
			fail "the wrong answer is not WRONG (or shows the expected one)"
		grep -Fq '1 of 2 answers right' "$TMP/after_L" ||
			fail "the status line does not count the answers"
	fi
	((k + 1 < nsteps)) && keys '>'
done
final=$(printf '%s' "${step_final[@]}" | grep -c .)
wait_for "Lab +4, step 4/4, $final/$total checks passed"

# 80x24: the lab's text keeps the top (row 2 its title), the code is the
# tab below it; another tab leaves the text in place; the key bar keeps
# the step keys.
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
wait_for '^ Code +Registers .* Lab *$'
wait_for "Lab +4, step 4/$nsteps"
screen >/dev/null
sed -n 2p "$TMP/screen" | grep -Eq '^[> ]Lab +4, step 4/4' || fail "the lab is not on top at 80x24"
sed -n '3,$p' "$TMP/screen" | grep -Eq '^[> ]Code ' || fail "no code pane under the lab at 80x24"
legend=$(tail -n 1 "$TMP/screen")
for k in '> next-step' '< prev-step' 'L lab' '] stage' ': cmd' 'q quit'; do
	[[ $legend == *"$k"* ]] || fail "the 80-column key bar lost '$k': $legend"
done
keys Tab
wait_for '^>Registers'
screen >/dev/null
grep -Eq "Lab +4, step 4/$nsteps" "$TMP/screen" || fail "the lab's text went with the Registers tab"
sed -n '3,$p' "$TMP/screen" | grep -Eq '^[> ]Code ' && fail "the code stays under the Registers tab"
# < shows the step before, still on top
keys '<'
wait_for "Step 3 of $nsteps"
tui_quit

# A false expect: the syscall number of arch_prctl written as one more.
nr=
for h in /usr/include/x86_64-linux-gnu/asm/unistd_64.h /usr/include/asm/unistd_64.h; do
	[[ -r $h ]] && nr=$(awk '$2 == "__NR_arch_prctl" {print $3}' "$h") && break
done
[[ -n $nr ]] || fail "no __NR_arch_prctl in the kernel headers"
wrong=$((nr + 1))
sed -E "s/^expect \\\$rax == $nr\$/expect \$rax == $wrong/" "$LABFILE" >"$TMP/bad/04-tls.bs"
[[ $(diff "$LABFILE" "$TMP/bad/04-tls.bs" | grep -c '^>') == 1 ]] ||
	fail "the copy does not differ in exactly one line from $LABFILE"
rm -f "$TMP/rc" "$TMP/stty.after"
TUI_ENV="BOOTSCOPE_LABS=$TMP/bad" tui_start 200 60 --lab 4
wait_for "Step 1 of $nsteps"
keys '>' D
wait_for "Checks: 7 of 8 passed" 60
grep -Fq "FAIL \$rax == $wrong  expected $wrong, actual $nr" "$TMP/screen" ||
	fail "no FAIL line with expected $wrong and actual $nr"
grep -Fq "PASS \$rdi == 0x1002" "$TMP/screen" || fail "the other checks do not pass"
grep -Eq "lab step 2 \(demo\): 7 of 8 checks passed" "$TMP/screen" ||
	fail "the status line does not count the failed check"
tui_quit

# A lab that says #@reveal after-submit: a wrong answer shows the expected
# one after L, here &runtime.m0.tls[0] as gdb reads it from the program.
mkdir "$TMP/reveal"
sed '0,/^#@step /s//#@reveal after-submit\n#@step /' "$LABFILE" >"$TMP/reveal/04-tls.bs"
tls=
if command -v gdb >/dev/null 2>&1; then
	tls=$(gdb -nx -batch -ex "print/x &'runtime.m0'.tls[0]" "$HELLO" 2>/dev/null |
		sed -nE 's/^\$1 = (0x[0-9a-f]+)$/\1/p')
fi
rm -f "$TMP/rc" "$TMP/stty.after"
SESSION=reveal
TUI_ENV="BOOTSCOPE_LABS=$TMP/reveal" tui_start 200 60 --lab 4
wait_for "Step 1 of $nsteps"
keys a
wait_for '^answer 1\.1:'
keys Down
wait_for '^answer 1\.2:'
keys -l 0x1
keys Enter
wait_for '= 0x1 +\(L checks it\)'
# Enter on the lab pane checks as L does: Tab until the lab has the focus
for ((i = 0; i < 16; i++)); do
	screen >/dev/null
	grep -q '>Lab ' "$TMP/screen" && break
	keys Tab
	sleep 0.2
done
grep -q '>Lab ' "$TMP/screen" || fail "Tab never focused the lab pane"
keys Enter
if [[ -n $tls ]]; then
	wait_for "= 0x1 +WRONG, expected $tls" 30
else
	wait_for '= 0x1 +WRONG, expected 0x[0-9a-f]+' 30
fi
tui_quit

# D keeps the history: lab 8's steps run the program with break and
# continue (recorded instruction by instruction in lab mode), so after
# three of them every step back to the first is still there.
lab8=$(dirname "$LABFILE")/08-scheduler.bs
if [[ -r $lab8 ]]; then
	cp "$lab8" "$TMP/labs/"
	rm -f "$TMP/rc" "$TMP/stty.after"
	SESSION=lab8
	TUI_ENV="BOOTSCOPE_LABS=$TMP/labs" tui_start 200 60 --lab 8
	wait_for 'Step 1 of [0-9]+'
	for k in 1 2 3; do
		keys D
		wait_for "lab step $k \\(demo\\): ([0-9]+) of \\1 checks passed" 60
		((k < 3)) && keys '>'
	done
	keys ':goto 0' Enter
	wait_for '^ HISTORY step 0 of [0-9]+ ' 30
	keys ':info record' Enter
	wait_for 'Recording on \(every instruction\): steps 0\.\.[0-9]+'
	last=$(grep -Eo 'steps 0\.\.[0-9]+' "$TMP/screen" | tail -1 | cut -d. -f3)
	keys ":goto $last" Enter
	wait_for '^ [a-z]+ \| pid [0-9]+ \| steps [0-9]+ '
	tui_quit
else
	fail "no lab 8 beside $LABFILE"
fi
# --student in the TUI: the student's variant of lab 6, the one the batch
# run for that student reports, and the program runs with it.
lab6=$(dirname "$LABFILE")/06-schedinit.bs
cp "$lab6" "$TMP/labs/"
BOOTSCOPE_LABS="$TMP/labs" "$BOOTSCOPE" --batch --json --student bob --lab 6 >"$TMP/lab6.json" ||
	fail "lab 6 for bob did not pass in batch mode"
variant=$(sed -nE '1s/.*"variant":"GOMAXPROCS=([0-9]+)".*/\1/p' "$TMP/lab6.json")
[[ -n $variant ]] || fail "no GOMAXPROCS variant in lab 6's lab_start for bob"
rm -f "$TMP/rc" "$TMP/stty.after"
SESSION=lab6
TUI_ENV="BOOTSCOPE_LABS=$TMP/labs" tui_start 200 60 --lab 6 --student bob
wait_for "your variant: GOMAXPROCS=$variant"
keys ':break runtime.procresize' Enter
keys c
wait_for 'Breakpoint 1, .*runtime.procresize' 30
keys ':print $edi' Enter
wait_for "\\\$[0-9]+ = $variant\$" 30
tui_quit

echo "lab 4: $final checks of where the steps end passed with L in $nsteps steps, pid and history unchanged; answers graded; the false one showed FAIL ($wrong vs $nr) in the demo; lab 8's history kept across D"
