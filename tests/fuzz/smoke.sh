#!/usr/bin/env bash
# fuzz-smoke: run one libFuzzer harness for a few seconds over its seed
# corpus (new inputs go to a temporary directory, never into the seeds).
#   smoke.sh FUZZER SECONDS [-FLAG=VALUE...] SEED_DIR...
# Arguments starting with '-' are passed to the fuzzer (e.g. -dict=FILE).
# FUZZER empty: clang or its libFuzzer runtime was missing at configure
# time, so the test is skipped.
set -euo pipefail

fuzzer=$1 seconds=$2
shift 2
if [ -z "$fuzzer" ]; then
	echo "skip: clang with a libFuzzer runtime was not found at configure time"
	exit 77
fi
[ -x "$fuzzer" ] || { echo "FAIL: $fuzzer is not built"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/new"

flags=() dirs=()
for a in "$@"; do
	case $a in -*) flags+=("$a") ;; *) dirs+=("$a") ;; esac
done
seeds=0
for d in "${dirs[@]}"; do
	[ -d "$d" ] || { echo "FAIL: no seed directory $d"; exit 1; }
	seeds=$((seeds + $(find "$d" -type f | wc -l)))
done
[ "$seeds" -gt 0 ] || { echo "FAIL: no seeds in ${dirs[*]}"; exit 1; }

rc=0
(cd "$work" && "$fuzzer" -max_total_time="$seconds" -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 "${flags[@]}" "$work/new" "${dirs[@]}") \
	>"$work/log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
	echo "FAIL: $(basename "$fuzzer") exited with $rc; its log:"
	tail -60 "$work/log"
	keep=$(dirname "$fuzzer")/artifacts
	mkdir -p "$keep"
	for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
		[ -e "$f" ] && cp "$f" "$keep/" && echo "input kept: $keep/$(basename "$f")"
	done
	exit 1
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
if [ -z "$runs" ] || [ "$runs" -lt "$seeds" ]; then
	echo "FAIL: $(basename "$fuzzer") ran ${runs:-no} inputs for $seeds seeds"
	tail -20 "$work/log"
	exit 1
fi
echo "$(basename "$fuzzer"): $runs runs in ${seconds}s from $seeds seeds, no crash"
grep -E '^(stat::|#[0-9]+ +DONE)' "$work/log" || true
