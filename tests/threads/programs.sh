#!/usr/bin/env bash
# The threaded programs, run directly: workers and sleeper under GOMAXPROCS
# 1, 2 and 4, each in a loop of 20 runs (also pinned to one CPU), must give
# the same output and exit status every time, with values derived here
# independently; hello, pingpong, spawn and deadlock, which now run beside
# sysmon, must give their one output every time too. A lost goroutine or a
# deadlock shows as a wrong line or a timeout (60 s: the runs take well
# under a second, but the machine may be loaded).
# usage: programs.sh BOOTSCOPE RTDIR
. "$(dirname "$0")/lib.sh"
LOOPS=${THREADS_LOOPS:-20}
ncpu=$(nproc)

# Job k of workers: k * 300000 steps of x = (x ^ x>>31) * C + i from x = k.
python3 - >"$TMP/jobs.txt" <<'PY'
M = (1 << 64) - 1
C = 0x7fb5d329728ea185
for k in (1, 2, 3):
    x = k
    for i in range(1, k * 300000 + 1):
        x ^= x >> 31
        x = ((x * C) & M) + i & M
    print(k, "%x" % (x & 0xffffffff))
PY

# run_loop NAME WANT_RC CMD...: runs CMD LOOPS times; every output and
# status must equal the first run's; prints that output into $TMP/NAME.out.
run_loop() {
	local name=$1 want_rc=$2 out rc first="" i bad=0
	shift 2
	for ((i = 0; i < LOOPS; i++)); do
		rc=0
		out=$(timeout 60 "$@" 2>&1) || rc=$?
		if [ "$rc" != "$want_rc" ]; then
			fail "$name: run $i: exit status $rc, want $want_rc: $(printf '%s' "$out" | tail -n 3)"
			bad=1
			break
		fi
		if [ $i -eq 0 ]; then
			first=$out
		elif [ "$out" != "$first" ]; then
			fail "$name: run $i differs from run 0:"
			diff <(printf '%s\n' "$first") <(printf '%s\n' "$out") | head -n 8 >&2
			bad=1
			break
		fi
	done
	checks=$((checks + 1))
	[ $bad -eq 0 ] && echo "ok   $name: $LOOPS runs, the same output and status $want_rc"
	printf '%s\n' "$first" >"$TMP/$name.out"
}

for procs in 1 2 4; do
	run_loop "workers-$procs" 0 env GOMAXPROCS=$procs "$(prog workers)"
	out=$TMP/workers-$procs.out
	check_eq "workers GOMAXPROCS=$procs: first line" "$(head -n 1 "$out")" \
		"workers: 16 jobs on GOMAXPROCS=$procs"
	check_eq "workers GOMAXPROCS=$procs: 16 job lines, in order, goid k+1" \
		"$(sed -n 's/^job \([0-9]*\) (goid \([0-9]*\)): [0-9a-f]*$/\1:\2/p' "$out" | tr '\n' ' ')" \
		"$(for k in $(seq 1 16); do printf '%d:%d ' "$k" $((k + 1)); done)"
	while read -r k want; do
		check_eq "workers GOMAXPROCS=$procs: job $k result (computed here)" \
			"$(sed -n "s/^job $k (goid [0-9]*): //p" "$out")" "$want"
	done <"$TMP/jobs.txt"
	check_eq "workers GOMAXPROCS=$procs: last line" "$(tail -n 1 "$out" | cut -d, -f1)" \
		"workers: all 16 done"
	[ "$procs" = 1 ] || check_eq "workers: the same results with GOMAXPROCS=$procs as with 1" \
		"$(sed 1d "$out")" "$(sed 1d "$TMP/workers-1.out")"

	run_loop "sleeper-$procs" 0 env GOMAXPROCS=$procs "$(prog sleeper)"
	check_eq "sleeper GOMAXPROCS=$procs: output" "$(cat "$TMP/sleeper-$procs.out")" \
		"sleeper: 3 sleepers, a reader and a writer on GOMAXPROCS=$procs
sleeper 1: 3 naps
sleeper 2: 3 naps
sleeper 3: 3 naps
reader: 7 bytes from the pipe: wake up
sleeper: done"

	# The one-M programs: one output whatever the timing of sysmon.
	run_loop "hello-$procs" 0 env GOMAXPROCS=$procs "$(prog hello)"
	check_eq "hello GOMAXPROCS=$procs: schedule order" \
		"$(sed -n 's/^worker \([0-9]\) .*step \([0-9]\)$/\1.\2/p' "$TMP/hello-$procs.out" | tr '\n' ' ')" \
		"3.1 3.2 1.1 2.1 1.2 2.2 "
	run_loop "pingpong-$procs" 0 env GOMAXPROCS=$procs "$(prog pingpong)" 7
	check_eq "pingpong GOMAXPROCS=$procs: last line" "$(tail -n 1 "$TMP/pingpong-$procs.out")" "pingpong: 7 hits"
	run_loop "spawn-$procs" 0 env GOMAXPROCS=$procs "$(prog spawn)"
	check_eq "spawn GOMAXPROCS=$procs: every job ran" \
		"$(sed -n 2p "$TMP/spawn-$procs.out" | cut -d, -f1)" "spawn: 300 goroutines done"
	run_loop "deadlock-$procs" 2 env GOMAXPROCS=$procs "$(prog deadlock)"
	check_eq "deadlock GOMAXPROCS=$procs: found by checkdead" \
		"$(grep -c '^fatal error: all goroutines are asleep - deadlock!$' "$TMP/deadlock-$procs.out")" 1
done

# One CPU for all the threads: other interleavings, the same results.
if command -v taskset >/dev/null && [ "$ncpu" -gt 1 ]; then
	for procs in 2 4; do
		run_loop "workers-cpu0-$procs" 0 env GOMAXPROCS=$procs taskset -c 0 "$(prog workers)"
		check_eq "workers on one CPU, GOMAXPROCS=$procs: the same results" \
			"$(sed 1d "$TMP/workers-cpu0-$procs.out")" "$(sed 1d "$TMP/workers-1.out")"
		run_loop "sleeper-cpu0-$procs" 0 env GOMAXPROCS=$procs taskset -c 0 "$(prog sleeper)"
		check_eq "sleeper on one CPU, GOMAXPROCS=$procs: the same output" \
			"$(cat "$TMP/sleeper-cpu0-$procs.out")" "$(cat "$TMP/sleeper-$procs.out")"
	done
fi

finish
