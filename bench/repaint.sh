#!/usr/bin/env bash
# bench-repaint (meson test --suite bench): what one full redraw of the TUI
# (C-l) costs at 200x60 on an xterm-256color, in figures that do not depend
# on the machine's load (bench/tui_repaint.py measures them):
#   - user-space instructions per C-l in the drawing code (callgrind),
#     against a budget: the terminal written out again from curses' screen
#     (ui_term_repaint) takes about 1.0 million; curses' own full update of
#     the same screen, with the panes rebuilt, takes 8.4 million;
#   - bytes written to the terminal per C-l: at least every non-blank cell
#     once (the whole screen is written again), at most the budget.
# docs/PERFORMANCE.md has the figures.
#
#   repaint.sh TUI_REPAINT_PY BOOTSCOPE HELLO
set -euo pipefail
py=$1
BOOTSCOPE=$2
HELLO=$3
. "$(dirname "$0")/../tests/common.sh"

budget_instr=2500000
budget_bytes=16000
min_bytes=4000

command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
ptrace_probe "$BOOTSCOPE" --batch -ex starti -ex 'info registers rip' "$HELLO" || exit 1
args=()
if valgrind_usable "$BOOTSCOPE"; then
	args+=(--callgrind)
else
	echo "no instruction count: $NO_VALGRIND"
fi

rc=0
out=$(python3 "$py" "$BOOTSCOPE" "$HELLO" --size 200x60 --term xterm-256color --steps 5 \
	--redraws 10 "${args[@]}") || rc=$?
if ((rc == 77)); then
	exit 77
fi
((rc == 0)) || { echo "FAIL: tui_repaint.py failed ($rc): $out" >&2; exit 1; }
echo "$out"

python3 - "$out" "$budget_instr" "$budget_bytes" "$min_bytes" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
budget_instr, budget_bytes, min_bytes = (float(x) for x in sys.argv[2:5])
fail = []
b = r["bytes_per_redraw"]
print(f"per C-l at {r['size']}: {b:.0f} bytes (budget {budget_bytes:.0f})", end="")
if not min_bytes <= b <= budget_bytes:
    fail.append(f"{b:.0f} bytes per C-l, not within {min_bytes:.0f}..{budget_bytes:.0f}")
if "instructions_per_redraw" in r:
    n = r["instructions_per_redraw"]
    print(f", {n:.0f} instructions (budget {budget_instr:.0f})")
    if not 0 < n <= budget_instr:
        fail.append(f"{n:.0f} user-space instructions per C-l, budget {budget_instr:.0f}")
else:
    print()
for f in fail:
    print("FAIL:", f, file=sys.stderr)
sys.exit(1 if fail else 0)
PY
