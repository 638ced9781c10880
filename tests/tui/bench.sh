#!/usr/bin/env bash
# Time to handle one `s` key (stepi + model refresh + redraw of what
# changed + doupdate) on a 200x60 screen, from the TUI's own per-key log
# (BOOTSCOPE_TUI_TIMING). Prints the median and the 99th percentile, and
# for scale the cost of one stepi command in batch mode (same interpreter,
# text rendered to /dev/null).
#
#   tests/tui/bench.sh BOOTSCOPE HELLO [STEPS] [COLSxROWS]
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace
steps=${3:-2000}
size=${4:-200x60}

log=$TMP/timing.log
TUI_ENV="BOOTSCOPE_TUI_TIMING=$log" tui_start "${size%x*}" "${size#*x}" "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
# Keys go in batches and the screen is polled slowly, so that the harness
# (tmux clients, grep) does not compete for the CPU with what it measures.
# Every queued key is still drawn: the timing log turns typeahead off.
sent=0
while ((sent < steps)); do
	n=$((steps - sent < 100 ? steps - sent : 100))
	args=()
	for ((i = 0; i < n; i++)); do args+=(s); done
	keys "${args[@]}"
	sent=$((sent + n))
	end=$((SECONDS + 60))
	until screen | grep -Eq "\\| steps $sent \\|"; do
		((SECONDS < end)) || fail "stuck before step $sent"
		sleep 0.5
	done
done
tui_quit
wait_file "$log"

args=()
for ((i = 0; i < steps; i++)); do args+=(-ex si); done
t0=$EPOCHREALTIME
"$BOOTSCOPE" --batch "${args[@]}" "$HELLO" >/dev/null
t1=$EPOCHREALTIME

python3 - "$log" "$size" "$t0" "$t1" "$steps" <<'PY'
import statistics, sys
ns = sorted(int(l.split()[1]) for l in open(sys.argv[1]) if l.startswith("step "))
if not ns:
    sys.exit("no step timings in the log")
p99 = ns[min(len(ns) - 1, int(round(0.99 * (len(ns) - 1))))]
print(f"{len(ns)} steps at {sys.argv[2]}: median {statistics.median(ns) / 1000:.1f} us, "
      f"p99 {p99 / 1000:.1f} us, max {ns[-1] / 1000:.1f} us")
batch = (float(sys.argv[4]) - float(sys.argv[3])) / int(sys.argv[5]) * 1e6
print(f"batch mode, for scale: {batch:.1f} us per stepi command (start-up included)")
PY
