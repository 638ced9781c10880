#!/bin/sh
# Runs a test (the command line in "$@") on one CPU of those this process
# may use, chosen from the test's name, so that tests which compare two runs
# of a program (a recording and a live run, bootscope and gdb) see the same
# processor: CPUID leaf 1 puts the APIC id of the CPU a thread runs on in
# EBX, and a run's registers and stack keep it.
set -eu
cpus=$(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)))')
n=$(echo "$cpus" | wc -w)
h=$(printf '%s' "$*" | cksum | cut -d' ' -f1)
cpu=$(echo "$cpus" | cut -d' ' -f$((h % n + 1)))
exec taskset -c "$cpu" "$@"
