#!/usr/bin/env bash
# The lab pane: `bootscope --lab 4` followed start to end in the TUI, doing
# what each step says (] to a stage, :catch syscall and c to a system
# call) before L runs the step. The lab file is the oracle for what the
# pane must show: each step's title, the start of its text, and one PASS
# per expect with its expression. Then
# a copy of the lab with one false expect shows FAIL with the expected value
# (the one written in the copy) and the actual one (the syscall number the
# kernel's header gives for arch_prctl), and the lab tab at 80x24.
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

# Per step: title, first words of its text, and its expect expressions.
mapfile -t titles < <(sed -nE 's/^#@step (.*)/\1/p' "$LABFILE")
nsteps=${#titles[@]}
((nsteps == 4)) || fail "lab 4 has $nsteps steps"
step_says=()
step_expects=()
k=-1
while IFS= read -r line; do
	case $line in
	'#@step '*) k=$((k + 1)); step_says[k]=; step_expects[k]= ;;
	'#@say '*) [[ -z ${step_says[k]:-} && $k -ge 0 ]] &&
		step_says[k]=$(cut -d' ' -f2-4 <<<"$line") ;;
	'expect '*) ((k >= 0)) && step_expects[k]+="${line#expect }"$'\n' ;;
	esac
done <"$LABFILE"
total=$(grep -c '^expect ' "$LABFILE")

# The pane at 200x60 has room for a step's checks.
TUI_ENV="BOOTSCOPE_LABS=$TMP/labs" tui_start 200 60 --lab 4
wait_for 'Lab +4, step 1/4, 0/[0-9]+ checks passed'
wait_for "Step 1 of $nsteps: ${titles[0]}"

run_step() {
	local k=$1 n want e
	mapfile -t want < <(printf '%s' "${step_expects[$k]}")
	n=${#want[@]}
	keys L
	wait_for "Checks: $n of $n passed" 60
	for e in "${want[@]}"; do
		grep -Fq "PASS $e" "$TMP/screen" || fail "step $((k + 1)): no 'PASS $e'"
	done
	! grep -Fq 'FAIL ' "$TMP/screen" || fail "step $((k + 1)): a check failed"
}

for ((k = 0; k < nsteps; k++)); do
	wait_for "Step $((k + 1)) of $nsteps: ${titles[$k]}"
	grep -Fq "${step_says[$k]}" "$TMP/screen" ||
		fail "step $((k + 1)): its text '${step_says[$k]}...' is not shown"
	case $k in
	0)	# "Press ] until the Stages pane highlights rt0_go.settls"
		for ((i = 0; i < 12; i++)); do
			[[ $(status_stage) == rt0_go.settls ]] && break
			keys ']'
			sleep 0.2
		done
		[[ $(status_stage) == rt0_go.settls ]] || fail "] never reached rt0_go.settls"
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
	esac
	run_step "$k"
	((k + 1 < nsteps)) && keys '>'
done
wait_for "Lab +4, step 4/4, $total/$total checks passed"

# 80x24: the lab's text keeps the top (row 2 its title), the code is the
# tab below it; another tab leaves the text in place; the key bar keeps
# the step keys.
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
wait_for '^ Code +Registers .* Lab *$'
wait_for "Step 4 of $nsteps"
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
grep -q "Step 4 of $nsteps" "$TMP/screen" || fail "the lab's text went with the Registers tab"
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
keys '>' L
wait_for "Checks: 7 of 8 passed" 60
grep -Fq "FAIL \$rax == $wrong  expected $wrong, actual $nr" "$TMP/screen" ||
	fail "no FAIL line with expected $wrong and actual $nr"
grep -Fq "PASS \$rdi == 0x1002" "$TMP/screen" || fail "the other checks do not pass"
grep -Eq "lab step 2: 7 of 8 checks passed" "$TMP/screen" ||
	fail "the status line does not count the failed check"
tui_quit

# L keeps the history: lab 8's steps run the program with break and
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
		keys L
		wait_for "lab step $k: ([0-9]+) of \\1 checks passed" 60
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
echo "lab 4: $total checks passed in $nsteps steps; the false one showed FAIL ($wrong vs $nr); lab 8's history kept across L"
