#!/usr/bin/env bash
# Single-steps hello from its entry to exit_group and reports the
# instruction count at which each boot stage is first reached (a
# measurement: the numbers are printed, only their order is asserted).
# usage: stages.sh STAGECOUNT HELLO
set -u
. "$(dirname "$0")/lib.sh"
need nm
stagecount=$1 prog=$2

stages="_rt0_amd64_linux _rt0_amd64 runtime.rt0_go runtime.settls runtime.check
runtime.args runtime.osinit runtime.schedinit runtime.mcommoninit runtime.procresize
runtime.newproc runtime.mstart runtime.mstart0 runtime.mstart1 runtime.schedule
runtime.findRunnable runtime.execute runtime.gogo runtime.main main.main runtime.exit"
pairs=()
for s in $stages; do
	a=$(symaddr "$prog" "$s")
	[ -n "$a" ] || { echo "no symbol $s"; exit 1; }
	pairs+=("$s=$a")
done

out=$(GOMAXPROCS=2 "$stagecount" "$prog" "${pairs[@]}" 2>"$TMP/stagecount.err"); rc=$?
cat "$TMP/stagecount.err" >&2
[ "$rc" -eq 0 ] || skip_if_ptrace_refused "$(cat "$TMP/stagecount.err")"
printf '%s\n' "$out" | awk '$1 == "stage" { printf "  %-24s at step %7s  (+%s)\n", $2, $3, $4; next } { print "  " $0 }'
check_eq "stagecount exit status" "$rc" 0

# Every stage is reached, in boot order.
prev=-1 order_ok=true
for s in $stages; do
	step=$(printf '%s\n' "$out" | awk -v s="$s" '$1 == "stage" && $2 == s { print $3 }')
	if ! [[ "$step" =~ ^[0-9]+$ ]] || [ "$step" -le "$prev" ]; then
		echo "stage $s at step [$step], after step $prev"
		order_ok=false
	else
		prev=$step
	fi
done
check_true "stages reached in boot order" $order_ok
check_eq "entry is step 0" "$(printf '%s\n' "$out" | awk '$2 == "_rt0_amd64_linux" { print $3 }')" 0
# FS is set by the arch_prctl in settls, before runtime.check.
fs=$(printf '%s\n' "$out" | awk '$1 == "fs_base" { print $2 }')
settls=$(printf '%s\n' "$out" | awk '$2 == "runtime.settls" { print $3 }')
check_int=$(printf '%s\n' "$out" | awk '$2 == "runtime.check" { print $3 }')
check_true "fs_base set inside settls" test "$fs" -gt "$settls" -a "$fs" -lt "$check_int"
check_eq "exit status" "$(printf '%s\n' "$out" | awk '$1 == "status" { print $2 }')" 0

finish
