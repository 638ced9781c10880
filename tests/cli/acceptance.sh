#!/usr/bin/env bash
# The acceptance command of issue #3:
#   bootscope --batch --json -ex 'break schedinit' -ex run -ex 'info gmp' -ex continue
# Every line must be JSON; the stop must be at runtime.schedinit (address from
# nm), the G/M/P view must be the one before procresize, and the program must
# run to its end with status 0, its output captured as output events.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

schedinit=$(nm_addr runtime.schedinit)
g0=$(nm_addr runtime.g0)
expected_out=$("$HELLO")

rc=0
bs_json -ex 'break schedinit' -ex run -ex 'info gmp' -ex continue "$HELLO" || rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc, stderr: $(cat "$TMP/err.txt")"
check_jsonl "$TMP/out.jsonl" || fail "output is not JSON Lines"

python3 - "$TMP/out.jsonl" "$schedinit" "$g0" "$expected_out" <<'PY' || fail "event checks"
import sys
from events import Checks, first, hexint, load, output
path, schedinit, g0, expected = sys.argv[1], hexint(sys.argv[2]), hexint(sys.argv[3]), sys.argv[4]
events = load(path)
names = [e["event"] for e in events if e["event"] != "output"]
check = Checks()
check(names == ["break", "stop", "gmp", "exited"], f"event sequence {names}")
brk = first(events, "break")
check(brk["id"] == 1 and hexint(brk["addr"]) == schedinit, f"break {brk}")
check(brk["stage"] == "runtime.schedinit", f"break stage {brk['stage']}")
stop = first(events, "stop")
check(stop["reason"] == "breakpoint" and stop["breakpoint"] == 1, f"stop reason {stop['reason']}")
check(hexint(stop["pc"]) == schedinit, f"stop pc {stop['pc']} != {schedinit:#x}")
check(stop["stage"] == "runtime.schedinit", f"stop stage {stop['stage']}")
check(stop["symbol"] == "runtime.schedinit", f"stop symbol {stop['symbol']}")
check(hexint(stop["regs"]["rip"]) == schedinit, "regs.rip")
check(stop["g_label"] == "g0" and hexint(stop["g"]) == g0, f"g {stop['g']} {stop['g_label']}")
check(hexint(stop["fs_base"]) != 0, "fs_base is set after settls")
for key in ("stage", "symbol", "pc", "tid", "fs_base", "g", "g_label", "regs", "steps"):
    check(key in stop, f"stop lacks {key}")
gmp = first(events, "gmp")
# At schedinit's entry procresize has not run: no P yet; the current g is g0.
check(gmp["p"] == [], f"Ps before procresize: {gmp['p']}")
check(gmp["current_g_label"] == "g0", f"current g {gmp['current_g_label']}")
for key in ("g", "m", "p", "sched"):
    check(key in gmp, f"gmp lacks {key}")
end = events[-1]
check(end == {"event": "exited", "code": 0, "steps": end.get("steps")}, f"last event {end}")
out = output(events, "stdout")
check(out.splitlines()[0] == expected.splitlines()[0], f"stdout {out!r}")
check(sorted(out.splitlines()) == sorted(expected.splitlines()), "stdout lines differ from a plain run")
sys.exit(check.report())
PY

# The same in text mode reads like gdb.
rc=0
text=$(env -u _ "$BOOTSCOPE" --batch -ex 'break schedinit' -ex run "$HELLO" 2>&1) || rc=$?
[ "$rc" -eq 0 ] || fail "text mode exit $rc"
grep -q "^Breakpoint 1 at $schedinit: runtime.schedinit" <<<"$text" || fail "no break line in: $text"
grep -q "^Breakpoint 1, $schedinit in runtime.schedinit ()" <<<"$text" || fail "no stop line in: $text"

finish
