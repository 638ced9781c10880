#!/usr/bin/env bash
# History across a free run: with set record-continue off, `continue` is
# one step of the record (a jump). Stepping back across it shows exactly
# the state before it (every register, the data and bss, the stack as the
# live process had them before the run), stepping forward again shows the
# state after it, and the stages the run passed are unreached before it.
# The same with the soft-dirty bits and without them (every writable page
# compared). A recording of such a session replays with the same stages
# and the same stop as the live session.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

# The data and bss of hello, from its section headers.
read -r DATA DATA_N < <(readelf -SW "$HELLO" | python3 -c '
import re, sys
secs = {}
for l in sys.stdin:
    m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", l)
    if m:
        secs[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
lo = secs[".data"][0]
hi = secs[".bss"][0] + secs[".bss"][1]
print(hex(lo), (hi - lo + 7) // 8)')
[ -n "$DATA" ] || { fail "no .data/.bss in $HELLO"; finish; }

# The views compared: all registers, the data and bss, 400 words of the
# stack below where rsp is before the run.
views() {
	printf '%s\n' -ex 'info registers' -ex "x/${DATA_N}gx $DATA" -ex "x/400gx $STK"
}

check() { # label, then extra bootscope arguments before the commands
	local label=$1
	shift
	local v=() pre=(-ex 'set record-continue off' -ex 'break runtime.schedinit' -ex run -ex 'stepi 10')
	local envs=(env -i PATH="$PATH" BOOTSCOPE_TEST=1 ${NOSD:+BOOTSCOPE_NO_SOFT_DIRTY=1})
	STK=$("$@" "${envs[@]}" "$BOOTSCOPE" --batch --json "${pre[@]}" -ex 'p/x $rsp - 3072' "$HELLO" |
		python3 -c 'import sys; from events import load; print(load(sys.stdin)[-1]["hex"])')
	mapfile -t v < <(views)
	"$@" "${envs[@]}" "$BOOTSCOPE" --batch --json "${pre[@]}" "${v[@]}" -ex 'info stages' \
		-ex 'break runtime.main' -ex continue "${v[@]}" -ex 'info record' \
		-ex 'reverse-stepi 1' "${v[@]}" -ex 'info stages' -ex 'info record' \
		-ex 'stepi' "${v[@]}" \
		"$HELLO" >"$TMP/j.jsonl" 2>"$TMP/j.err" || { fail "$label: $(cat "$TMP/j.err")"; return; }
	python3 - "$TMP/j.jsonl" "$label" <<'PY' || fail "$label: history across continue"
import sys
from events import Checks, load, named
ev = load(sys.argv[1])
label = sys.argv[2]
regs = named(ev, "registers")
mems = named(ev, "x")
recs = named(ev, "record")
stages = named(ev, "stages")
stops = named(ev, "stop")
check = Checks("")
assert len(regs) == 4 and len(mems) == 8, (len(regs), len(mems))
def words(m):
    return [it["value"] for it in m["items"]]
before, after, back, fwd = range(4)
R = lambda i: regs[i]["regs"]
M = lambda i: words(mems[2 * i]) + words(mems[2 * i + 1])
if R(back) != R(before):
    diff = {k: (R(before)[k], R(back)[k]) for k in R(before) if R(before)[k] != R(back).get(k)}
    check.fail(f"registers after reverse-stepi differ from before the continue: {diff}")
if R(fwd) != R(after):
    check.fail("registers after stepping forward again differ from after the continue")
changed = sum(a != b for a, b in zip(M(before), M(after)))
if changed == 0:
    check.fail("the continue changed no word of the data, bss or stack: nothing was tested")
diff = [i for i, (a, b) in enumerate(zip(M(before), M(back))) if a != b]
if diff:
    check.fail(f"{len(diff)} words differ between before the continue and after reverse-stepi, first at word {diff[0]}")
diff = [i for i, (a, b) in enumerate(zip(M(after), M(fwd))) if a != b]
if diff:
    check.fail(f"{len(diff)} words differ after stepping forward across the jump")
# the record: steps 0..12 (the run to schedinit is step 1, the continue 12)
r = recs[0]
if (r["first"], r["last"], r["jumps"], r["full"]) != (0, 12, 2, False):
    check.fail(f"record after continue: first {r['first']} last {r['last']} jumps {r['jumps']} full {r['full']}")
if "every page" in label and r["soft_dirty"]:
    check.fail("BOOTSCOPE_NO_SOFT_DIRTY=1, yet the jump used soft-dirty bits")
if recs[1]["step"] != 11 or not recs[1]["history"]:
    check.fail(f"after reverse-stepi: step {recs[1]['step']} history {recs[1]['history']}")
if stops[-2]["steps"] != 11 or stops[-1]["steps"] != 12:
    check.fail(f"stop steps {[s['steps'] for s in stops]}")
# stages: in history before the jump, as before the continue
cur = lambda st: [s["name"] for s in st["stages"] if s["current"]]
reached = lambda st: [s["name"] for s in st["stages"] if s["reached"]]
if reached(stages[1]) != reached(stages[0]) or cur(stages[1]) != ["runtime.schedinit"]:
    check.fail(f"stages in history: reached {reached(stages[1])}, current {cur(stages[1])}")
print(f"{label} (soft_dirty {r['soft_dirty']}): {changed} of {len(M(before))} words changed by the continue; all restored going back")
sys.exit(check.report())
PY
}

# soft-dirty bits where the kernel keeps them (soft_dirty in info record
# says whether it does), and every page compared
check "default" "${PIN[@]}"
NOSD=1 check "every page compared" "${PIN[@]}"

# The bundled default, set record-continue on: the continue is recorded
# instruction by instruction, so one step back from runtime.main is the
# last instruction of runtime.gogo, the jump onto g1's pc (objdump's
# disassembly of gogo is the witness for that instruction).
bs --batch --json -ex 'stepi 10' -ex 'break runtime.main' -ex continue -ex 'reverse-stepi' \
	-ex 'x/i $pc' -ex 'info record' "$HELLO" >"$TMP/on.jsonl" 2>"$TMP/on.err" ||
	fail "record-continue on: $(cat "$TMP/on.err")"
# (the last jmp of its body: padding may follow it)
last_gogo=$(objdump -d --no-show-raw-insn "$HELLO" |
	awk '/<runtime.gogo>:/ {f=1; next} f && /^[0-9a-f]+ </ {f=0} f && $2 ~ /^jmp/ {l=$1} END {sub(":", "", l); print "0x" l}')
python3 - "$TMP/on.jsonl" "$last_gogo" <<'PY' || fail "record-continue on: one step back from runtime.main"
import sys
from events import hexint, last, load, named
ev = load(sys.argv[1])
stops = named(ev, "stop")
rec = last(ev, "record")
back = stops[-1]
assert stops[-2]["symbol"] == "runtime.main" and stops[-2]["steps_exact"], stops[-2]
assert back["symbol"].startswith("runtime.gogo+") and hexint(back["pc"]) == hexint(sys.argv[2]), (back["symbol"], back["pc"], sys.argv[2])
assert back["steps"] == stops[-2]["steps"] - 1, (back["steps"], stops[-2]["steps"])
assert rec["full"] and rec["jumps"] == 0 and rec["history"], rec
print("record-continue on: one step back from runtime.main is", back["symbol"], back.get("insn"))
PY

# A recording of a session with free runs: its replay shows the stages and
# the stops the live session showed.
REC=$TMP/jumps.bstl
bs --batch --json --record "$REC" -ex 'set record-continue off' -ex 'break runtime.procresize' \
	-ex run -ex 'stepi 5' -ex 'break main.main' -ex continue -ex 'info stages' \
	"$HELLO" >"$TMP/live.jsonl" 2>"$TMP/live.err" || fail "recording: $(cat "$TMP/live.err")"
bs --batch --json --replay "$REC" -ex 'info stages' -ex 'goto 1' -ex 'goto 6' -ex 'goto 7' \
	-ex 'goto 1' -ex 'info stages' >"$TMP/rep.jsonl" 2>"$TMP/rep.err" ||
	fail "replay: $(cat "$TMP/rep.err")"
python3 - "$TMP/live.jsonl" "$TMP/rep.jsonl" <<'PY' || fail "the replay of free runs"
import sys
from events import Checks, last, load, named
live = load(sys.argv[1])
rep = load(sys.argv[2])
check = Checks("")
key = lambda st: [(s["name"], s["reached"], s["steps"], s.get("after_step"), s.get("order"), s["current"])
                  for s in st["stages"]]
lst = last(live, "stages")
rst = named(rep, "stages")
if key(rst[0]) != key(lst):
    check.fail("info stages of the replay differs from the live one at its end")
    for a, b in zip(key(lst), key(rst[0])):
        if a != b:
            check.fail(f"  live {a} replay {b}")
# at step 1 (the run to procresize) only the stages up to schedinit
names = [s["name"] for s in rst[1]["stages"] if s["reached"]]
if names[-1] != "runtime.schedinit" or "runtime.newproc" in names:
    check.fail(f"replay at step 1: reached {names}")
lstops = {s["steps"]: s for s in live if s["event"] == "stop"}
rstops = named(rep, "stop")
for s in rstops:
    l = lstops.get(s["steps"])
    if l is None:
        continue
    # the recording is of the live session itself: the same thread ids
    for k in ("stage", "g", "tid", "pc", "symbol"):
        if s.get(k) != l.get(k):
            check.fail(f"stop at step {s['steps']}: {k} replay {s.get(k)} live {l.get(k)}")
seen = sorted(s["steps"] for s in rstops if s["steps"] in lstops)
if seen != [1, 1, 6, 7]:
    check.fail(f"replay stops matched to live stops: {seen}")
sys.exit(check.report())
PY
finish
