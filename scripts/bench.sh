#!/usr/bin/env bash
# Run bootscope's benchmarks and print one table (docs/PERFORMANCE.md).
#
#   scripts/bench.sh [--runs N] [--out FILE] [--quick] [--no-gdb] [--no-go]
#                    [--no-tui] [--no-callgrind]
#
# Builds what the benchmarks need in BENCH_BUILD_DIR (default build-bench,
# configured as a debugoptimized build, the project's default), then runs
# bench/bench.py. The table goes to stdout, the same figures as JSON to
# bench/results.json (or --out FILE).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}

if [[ ! -f $build/build.ninja ]]; then
	meson setup "$build" "$root" -Dwerror=true -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$build" -j 2 bootscope target-runtime/hello bench/bench-rawstep bench/bench-step \
	bench/bench-run bench/bench-writes >/dev/null

args=(--build "$build" --out "$root/bench/results.json" --gocache "$build/bench/gocache")
exec python3 "$root/bench/bench.py" "${args[@]}" "$@"
