#!/usr/bin/env bash
# The example programs' output and exit status.
# usage: programs.sh HELLO PINGPONG SPAWN DEADLOCK
set -u
. "$(dirname "$0")/lib.sh"
hello=$1 pingpong=$2 spawn=$3 deadlock=$4

# hello: greeting with argc and GOMAXPROCS, three workers, two steps each.
out=$(GOMAXPROCS=2 "$hello"); rc=$?
check_eq "hello exit status" "$rc" 0
check_eq "hello greeting" "$(printf '%s\n' "$out" | head -n 1)" \
	"hello from bootscope: argc=1 GOMAXPROCS=2"
check_eq "hello worker lines" "$(printf '%s\n' "$out" | grep -c '^worker [123] (goid [234]): step [12]$')" 6
for w in 1 2 3; do
	check_eq "hello worker $w steps in order" \
		"$(printf '%s\n' "$out" | sed -n "s/^worker $w (goid [0-9]*): step //p" | tr '\n' ' ')" "1 2 "
	check_eq "hello worker $w goid" \
		"$(printf '%s\n' "$out" | sed -n "s/^worker $w (goid \([0-9]*\)): step 1\$/\1/p")" "$((w + 1))"
done
check_eq "hello last line" "$(printf '%s\n' "$out" | tail -n 1)" "main: 3 workers done, goodbye"
# The exact interleaving follows from runnext, the global queue and the
# every-61st-tick fairness check (schedtick is still 0: see the report).
check_eq "hello schedule order" "$(printf '%s\n' "$out" | sed -n 's/^worker \([0-9]\) .*step \([0-9]\)$/\1.\2/p' | tr '\n' ' ')" \
	"3.1 3.2 1.1 2.1 1.2 2.2 "

# GOMAXPROCS from the environment; bad or missing values fall back to ncpu.
ncpu=$(nproc)
check_eq "GOMAXPROCS=1" "$(GOMAXPROCS=1 "$hello" | head -n 1)" "hello from bootscope: argc=1 GOMAXPROCS=1"
check_eq "GOMAXPROCS=3" "$(GOMAXPROCS=3 "$hello" | head -n 1)" "hello from bootscope: argc=1 GOMAXPROCS=3"
check_eq "GOMAXPROCS=junk" "$(GOMAXPROCS=junk "$hello" | head -n 1)" "hello from bootscope: argc=1 GOMAXPROCS=$ncpu"
check_eq "GOMAXPROCS=0" "$(GOMAXPROCS=0 "$hello" | head -n 1)" "hello from bootscope: argc=1 GOMAXPROCS=$ncpu"
check_eq "GOMAXPROCS unset" "$(env -u GOMAXPROCS "$hello" | head -n 1)" "hello from bootscope: argc=1 GOMAXPROCS=$ncpu"
check_eq "GOMAXPROCS capped" "$(GOMAXPROCS=100000 "$hello" | head -n 1)" "hello from bootscope: argc=1 GOMAXPROCS=256"
command -v taskset >/dev/null && check_eq "GOMAXPROCS only one CPU allowed" \
	"$(env -u GOMAXPROCS taskset -c 0 "$hello" | head -n 1)" "hello from bootscope: argc=1 GOMAXPROCS=1"
check_eq "argc counts arguments" "$(GOMAXPROCS=2 "$hello" a b c | head -n 1)" \
	"hello from bootscope: argc=4 GOMAXPROCS=2"
check_eq "empty environment" "$(env -i "$hello" | head -n 1)" "hello from bootscope: argc=1 GOMAXPROCS=$ncpu"

# pingpong: N hits alternating ping/pong, in order.
want_pp() {
	local i
	for ((i = 1; i <= $1; i++)); do
		if ((i % 2)); then echo "ping $i"; else echo "pong $i"; fi
	done
	echo "pingpong: $1 hits"
}
out=$("$pingpong"); rc=$?
check_eq "pingpong exit status" "$rc" 0
check_eq "pingpong default 5 hits" "$out" "$(want_pp 5)"
check_eq "pingpong 12 hits" "$("$pingpong" 12)" "$(want_pp 12)"
check_eq "pingpong 1 hit" "$("$pingpong" 1)" "$(want_pp 1)"
check_eq "pingpong 0 hits" "$("$pingpong" 0)" "pingpong: 0 hits"
"$pingpong" x >/dev/null 2>&1; rc=$?
check_eq "pingpong bad N exit status" "$rc" 2

# spawn: 300 goroutines overflow P0's ring: runnext 1, ring 128 + 42, global 128 + 1.
out=$("$spawn"); rc=$?
check_eq "spawn exit status" "$rc" 0
check_eq "spawn queues after spawning" "$(printf '%s\n' "$out" | head -n 1)" \
	"spawned 300 goroutines: runnext=1 local=170 global=129"
total=0
for ((i = 1; i <= 300; i++)); do total=$((total + i * (i + 1) * (2 * i + 1) / 6)); done
check_eq "spawn result" "$(printf '%s\n' "$out" | sed -n 2p)" \
	"spawn: 300 goroutines done, sum of squares total=$total, allglen=301"
# 300 gfputs: P0 keeps at most 63, spilling down to 31 into sched.gFree.
check_eq "spawn dead gs" "$(printf '%s\n' "$out" | sed -n 3p)" "dead gs: P0.gFree.n=36 sched.gFree.n=264"
# The second wave reuses dead gs: allgs does not grow.
check_eq "spawn second wave" "$(printf '%s\n' "$out" | sed -n 4p)" \
	"second wave: 40 more done, allglen=301, P0.gFree.n=35 sched.gFree.n=265"
check_eq "spawn line count" "$(printf '%s\n' "$out" | wc -l)" 4

# deadlock: the throw, on stderr, status 2, nothing after it.
err=$("$deadlock" 2>&1 >/dev/null); rc=$?
check_eq "deadlock exit status" "$rc" 2
check_eq "deadlock stderr" "$err" "fatal error: all goroutines are asleep - deadlock!"
check_eq "deadlock stdout" "$("$deadlock" 2>/dev/null)" "main: parking forever"

finish
