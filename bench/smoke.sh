#!/usr/bin/env bash
# bench-smoke (meson test --suite bench): the benchmark harness in its quick
# mode, in seconds. It checks that every stepping case runs and agrees with
# the raw loop on the instruction count, and holds the one figure that does
# not depend on the machine's load: user-space instructions per step of
# bootscope's batch stepping loop under callgrind, against its budgets: one
# for the stepping loop (`record off`, about 490 in this run), one for
# the recording loop, the timeline recorded at every step as bootscope does
# by default (about 985 in this run with the registers compared by AVX2,
# 1,030 on a CPU without it, where SSE2 compares them; 1,200 before the
# debugger was built with link-time optimization and the quiet step took
# its short way, 1,410 before a step that writes no memory was recorded
# from its registers alone; its goal is 1,000, held here where the CPU has
# AVX2: see docs/PERFORMANCE.md for the figures), and one for stepping with the
# runtime decoded after every step while the timeline records (a decode is
# kept when the step wrote none of its bytes; decoding afresh at every step
# costs several times this). Given a go1.19 hello (the build's, where Go is
# installed), also the user-space instructions of the whole run to
# main.main of that hello (about 36 million: opening its DWARF, the
# system-call log of the free run, the stop; 53 million before the DWARF
# was inflated with libdeflate, the log's unwinding kept its frame states
# and the symbols were indexed by a hash; 70 million before the location
# lists were left compressed and the name index skipped DIEs by their raw
# bytes). A build without libdeflate (libdw inflating) runs about 46
# million: over the budget.
#
#   smoke.sh BENCH_PY BUILD_DIR [GOHELLO]
set -euo pipefail
bench_py=$1
build=$2
budget=1000
budget_rec=1000
# without AVX2 the registers are compared two words at a time (regs.c)
if ! grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
	budget_rec=1060
fi
budget_decode=5000
budget_main_go=42000000

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bootscope-bench-smoke.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if ! command -v valgrind >/dev/null; then
	echo "valgrind is not installed: the instructions-per-step budget cannot be checked"
	exit 77
fi
if nm -D "$build/bootscope" 2>/dev/null | grep '__asan_init' >/dev/null; then
	echo "skip: bootscope is built with AddressSanitizer, which valgrind cannot run"
	exit 77
fi

rc=0
gohello=()
if (($# > 2)); then
	gohello=(--gohello-built "$3")
fi
python3 "$bench_py" --build "$build" --quick "${gohello[@]}" --out "$tmp/results.json" >"$tmp/table" 2>"$tmp/log" || rc=$?
cat "$tmp/table"
if ((rc == 77)); then
	echo "skip: $(tail -n 1 "$tmp/log")"
	exit 77
fi
if ((rc != 0)); then
	echo "FAIL: the harness failed (exit $rc):" >&2
	cat "$tmp/log" >&2
	exit 1
fi

python3 - "$tmp/results.json" "$budget" "$budget_rec" "$budget_decode" "$budget_main_go" <<'PY'
import json, sys

res = json.load(open(sys.argv[1]))
budget = float(sys.argv[2])
budget_rec = float(sys.argv[3])
budget_decode = float(sys.argv[4])
budget_main_go = float(sys.argv[5])
med = res["median"]
fail = []

# Every stepping case ran and produced a rate.
for k in ("raw.pinned", "raw.unpinned", "engine.stepi", "engine.each", "engine.decode",
          "engine.each_decode", "batch.stepi", "batch.stepi_norec", "batch.stepi1"):
    if not med.get(k, 0) > 0:
        fail.append(f"no steps/s figure for {k}: {med.get(k)!r}")
# Peak RSS was measured for bootscope's cases.
for k in ("rss.batch.stepi", "rss.engine.decode"):
    if not med.get(k, 0) > 0:
        fail.append(f"no peak RSS for {k}: {med.get(k)!r}")

# Callgrind: the raw loop is the floor (plain C around three syscalls); the
# batch loop must be above it and within the budget.
raw = med.get("callgrind.raw")
batch = med.get("callgrind.batch_norec")
recording = med.get("callgrind.batch")
decode = med.get("callgrind.decode")
if raw is None or batch is None or decode is None or recording is None:
    fail.append(f"callgrind figures missing: raw {raw}, batch {batch}, recording {recording}, "
                f"decode {decode}")
else:
    print(f"instructions per step: raw loop {raw:.0f}, bootscope --batch {batch:.0f} "
          f"(budget {budget:.0f}), recording the timeline {recording:.0f} "
          f"(budget {budget_rec:.0f}), with the runtime decoded {decode:.0f} "
          f"(budget {budget_decode:.0f})")
    if not raw > 0:
        fail.append(f"the raw loop runs {raw} instructions per step")
    if not batch > raw:
        fail.append(f"bootscope's loop ({batch:.0f}) is not above the raw loop ({raw:.0f})")
    if batch > budget:
        fail.append(f"bootscope's batch stepping runs {batch:.0f} user-space instructions "
                    f"per step, over the budget of {budget:.0f}")
    if recording > budget_rec:
        fail.append(f"bootscope's batch stepping with the timeline recorded runs "
                    f"{recording:.0f} user-space instructions per step, over the budget of "
                    f"{budget_rec:.0f}")
    if not recording > batch:
        fail.append(f"recording ({recording:.0f}) costs no more than not recording "
                    f"({batch:.0f}): it did not record")
    if not decode > batch:
        fail.append(f"decoding every step ({decode:.0f}) costs no more than not decoding "
                    f"({batch:.0f}): it did not decode")
    if decode > budget_decode:
        fail.append(f"stepping with the runtime decoded at every step (recording) runs "
                    f"{decode:.0f} user-space instructions per step, over the budget of "
                    f"{budget_decode:.0f}")

# The go1.19 hello's run to main.main, when the harness could build it.
main_go = med.get("callgrind.main_gohello")
if main_go is not None:
    print(f"the go1.19 hello to main.main: {main_go / 1e6:.1f} million instructions "
          f"(budget {budget_main_go / 1e6:.0f} million)")
    if main_go > budget_main_go:
        fail.append(f"the run to main.main of the go1.19 hello runs {main_go:.0f} user-space "
                    f"instructions, over the budget of {budget_main_go:.0f}")

# The JSON carries the table the harness printed.
if not res.get("table") or not all("figure" in r and "value" in r for r in res["table"]):
    fail.append("results.json has no table")

for f in fail:
    print("FAIL: " + f, file=sys.stderr)
sys.exit(1 if fail else 0)
PY
