#!/usr/bin/env bash
# Every way of resuming tells the truth: the stages a free run passes are
# marked reached in order (with the count of steps before the run), the
# text stop line says `step ?` after a free run, return addresses on the
# stack are named by their call site (gdb's `info symbol` of the address
# minus one is the witness), and the stack view ends at the stack's hi.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

# stages: a JSON list of [index, name, reached, steps, after_step, order, current]
stages_of() {
	python3 - "$TMP/out.jsonl" <<'PY'
import json, sys
from events import last, load
ev = load(sys.argv[1])
st = last(ev, "stages")["stages"]
print(json.dumps([[s["index"], s["name"], s["reached"], s["steps"], s.get("after_step"),
                   s.get("order"), s["current"]] for s in st]))
PY
}

# A breakpoint in procresize, reached by `run` alone: stages up to
# runtime.schedinit are reached in boot order, schedinit is current. With
# set record-continue off the run is free: the counts are not known
# (after step 0); the bundled programs record every instruction of a
# continue by default: exact counts, increasing.
procresize_stages() { # MODE (free|stepped), then bootscope's -ex options
	local mode=$1
	shift
	bs_json "$@" -ex 'break runtime.procresize' -ex run -ex 'info stages' "$HELLO" ||
		{ fail "run to procresize ($mode): $(cat "$TMP/err.txt")"; return; }
	python3 - "$(stages_of)" "$mode" <<'PY' || fail "stages after run to procresize ($mode)"
import json, sys
from events import Checks
st, mode = json.loads(sys.argv[1]), sys.argv[2]
names = [s[1] for s in st]
sched = names.index("runtime.schedinit")
check, prev = Checks(""), -1
for idx, name, reached, steps, after, order, current in st:
    want = idx <= sched
    if reached != want:
        check.fail(f"{name}: reached {reached}, want {want}")
    if reached:
        if idx == 0 and steps != 0:
            check.fail(f"{name}: steps {steps}, want 0 (the entry)")
        if mode == "free" and idx > 0 and (steps is not None or after != 0):
            check.fail(f"{name}: steps {steps} after_step {after}, want null and 0")
        if mode == "stepped" and (steps is None or steps <= prev):
            check.fail(f"{name}: steps {steps} after {prev}")
        prev = steps if steps is not None else prev
        if order != idx + 1:
            check.fail(f"{name}: order {order}, want {idx + 1}")
    if current != (idx == sched):
        check.fail(f"{name}: current {current}")
sys.exit(check.report())
PY
}
OFF=(-ex 'set record-continue off')
procresize_stages free "${OFF[@]}"
procresize_stages stepped

# stepi 10, then a free run to runtime.main: the stages passed by the run
# are reached after step 10, in boot order; those before by exact counts.
bs_json "${OFF[@]}" -ex 'stepi 10' -ex 'break runtime.main' -ex continue -ex 'info stages' "$HELLO" ||
	fail "stepi 10 + continue: $(cat "$TMP/err.txt")"
python3 - "$(stages_of)" <<'PY' || fail "stages after stepi 10 + continue"
import json, sys
from events import Checks
st = json.loads(sys.argv[1])
check, prev = Checks(""), 0
for idx, name, reached, steps, after, order, current in st:
    if name in ("main.main", "runtime.exit"):
        if reached:
            check.fail(f"{name} reached before runtime.main")
        continue
    if not reached:
        check.fail(f"{name} not reached")
        continue
    if steps is not None and steps > 10:
        check.fail(f"{name}: exact count {steps} after a free run")
    if steps is None and after != 10:
        check.fail(f"{name}: after_step {after}, want 10")
    if order <= prev:
        check.fail(f"{name}: order {order} not after {prev}")
    prev = order
    if current != (name == "runtime.main"):
        check.fail(f"{name}: current {current}")
sys.exit(check.report())
PY

# stage: single-steps, so every stage on the way gets an exact count, in
# order; progress every 10,000 steps; a stage behind is reached from a
# restart.
bs_json -ex 'stage runtime.schedinit' -ex 'info stages' -ex 'stage runtime.exit' \
	-ex 'stage 2' -ex 'info stages' "$HELLO" || fail "stage: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" <<'PY' || fail "the stage command"
import sys
from events import Checks, load, named
ev = load(sys.argv[1])
check = Checks("")
stops = named(ev, "stop")
# not started yet: the first stage command starts the program (starti)
if stops[0]["reason"] != "entry":
    check.fail(f"the first stage command did not start at the entry: {stops[0]['reason']}")
stops = stops[1:]
stages = named(ev, "stages")
st = stages[0]["stages"]
sched = [s for s in st if s["name"] == "runtime.schedinit"][0]
if stops[0]["pc"] != sched["addr"] or not stops[0]["steps_exact"]:
    check.fail(f"stage runtime.schedinit stopped at {stops[0]['pc']}")
if sched["steps"] != stops[0]["steps"]:
    check.fail(f"schedinit reached at {sched['steps']}, the stop says {stops[0]['steps']}")
prev = -1
for s in st[:sched["index"] + 1]:
    if s["steps"] is None or s["steps"] <= prev and s["index"] > 0:
        check.fail(f"{s['name']}: steps {s['steps']} after {prev}")
    prev = s["steps"] if s["steps"] is not None else prev
prog = [e["steps"] for e in named(ev, "progress")]
total = stops[1]["steps"] - stops[0]["steps"]
if prog != list(range(10000, total, 10000)):
    check.fail(f"progress {prog} for {total} steps")
exit_stage = [s for s in st if s["name"] == "runtime.exit"][0]
if stops[1]["pc"] != exit_stage["addr"]:
    check.fail(f"stage runtime.exit stopped at {stops[1]['pc']}")
# stage 2 is behind: starti, then two more stops' worth of stepping
if stops[2]["reason"] != "entry" or stops[2]["steps"] != 0:
    check.fail(f"stage 2 did not restart: {stops[2]['reason']} {stops[2]['steps']}")
if stops[3]["pc"] != st[2]["addr"] or stops[3]["steps"] != st[2]["steps"]:
    check.fail(f"stage 2: {stops[3]['pc']} after {stops[3]['steps']}, want {st[2]['addr']} after {st[2]['steps']}")
sys.exit(check.report())
PY
env -u _ "$BOOTSCOPE" --batch -ex 'stage frobnicate' "$HELLO" >"$TMP/o.txt" 2>&1 &&
	fail "stage frobnicate succeeded"
grep -q "no boot stage 'frobnicate'" "$TMP/o.txt" || fail "stage frobnicate: $(cat "$TMP/o.txt")"

# The text stop line after a free run: the count is not known.
out=$(env -u _ "$BOOTSCOPE" --batch "${OFF[@]}" -ex 'break runtime.schedinit' -ex run "$HELLO" 2>&1) ||
	fail "text run: $out"
grep -q '| step ? |' <<<"$out" || fail "the stop line after run does not say step ?: $out"
out=$(env -u _ "$BOOTSCOPE" --batch -ex 'stepi 3' "$HELLO" 2>&1) || fail "text stepi: $out"
grep -q '| step 3 |' <<<"$out" || fail "the stop line after stepi 3 does not say step 3: $out"

# Call sites: at runtime.schedule the return address at rsp is in
# runtime.mstart1, a call that never returns; gdb names the function of
# the address minus one.
bs_json -ex 'break runtime.schedule' -ex run -ex 'info stack 1' "$HELLO" ||
	fail "stack at schedule: $(cat "$TMP/err.txt")"
read -r val what < <(python3 - "$TMP/out.jsonl" <<'PY'
import sys
from events import last, load
ev = load(sys.argv[1])
s = last(ev, "stack")["slots"][0]
print(s["value"], s["what"])
PY
)
witness=$(gdb_batch -ex 'break runtime.schedule' -ex run \
	-ex 'info symbol *(long *)$rsp - 1' | sed -nE 's/^([^ ]+) \+ [0-9]+ in section .*/\1/p' | tail -1)
[ -n "$witness" ] || fail "gdb named no symbol for the return address"
start=$(nm_addr "$witness")
want=$(printf 'ret %s+0x%x' "$witness" $((val - start)))
[ "$what" = "$want" ] || fail "slot at rsp in runtime.schedule: '$what', want '$want' (gdb)"
[ "$witness" = runtime.mstart1 ] || fail "gdb: the call into schedule is in $witness, not runtime.mstart1"

# goroutine 1's first frame returns to the goexit+1 newproc planted, and
# the stack view ends at g1's stack.hi.
bs_json -ex 'break runtime.main' -ex run -ex 'info stack 4096' -ex 'info g' "$HELLO" ||
	fail "stack at runtime.main: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" <<'PY' || fail "stack view at runtime.main"
import sys
from events import Checks, hexint, last, load
ev = load(sys.argv[1])
slots = last(ev, "stack")["slots"]
g = last(ev, "g")
check = Checks("")
if slots[0]["what"] != "ret runtime.goexit+0x1 (planted by newproc)":
    check.fail(f"first slot: {slots[0]['what']!r}")
top = hexint(slots[-1]["addr"])
if top + 8 != hexint(g["stack_hi"]):
    check.fail(f"last slot {slots[-1]['addr']}, g1's stack.hi {g['stack_hi']}")
if any(s["region"] != "g1" for s in slots):
    check.fail("a slot outside g1's stack")
sys.exit(check.report())
PY


# A breakpoint on the first instruction is hit by `run` before anything
# runs, and counted, as in gdb; a temporary one is then deleted (gdb's
# `info breakpoints` is the witness).
entry=$(readelf -h "$HELLO" | awk '/Entry point/ { print $4 }')
gdb_hits=$(gdb_batch -ex "break *$entry" -ex run -ex 'info breakpoints' |
	sed -n 's/.*breakpoint already hit \([0-9]*\) time.*/\1/p')
[ "$gdb_hits" = 1 ] || fail "gdb: the entry breakpoint was hit '$gdb_hits' times"
"$BOOTSCOPE" --batch --json -ex "break *$entry" -ex run -ex 'info breakpoints' "$HELLO" \
	>"$TMP/out.jsonl" || fail "break at the entry, run: status $?"
python3 - "$TMP/out.jsonl" "$gdb_hits" <<'PY' || fail "the entry breakpoint's hits are not gdb's"
import sys
from events import last, load
ev = load(sys.argv[1])
assert last(ev, "stop")["reason"] == "breakpoint", last(ev, "stop")
assert [b["hits"] for b in last(ev, "breakpoints")["breakpoints"]] == [int(sys.argv[2])]
PY
gdb_left=$(gdb_batch -ex "tbreak *$entry" -ex run -ex 'info breakpoints' |
	grep -cE '^[0-9]+ +breakpoint ' || true)
"$BOOTSCOPE" --batch --json -ex "tbreak *$entry" -ex run -ex 'info breakpoints' "$HELLO" \
	>"$TMP/out.jsonl" || fail "tbreak at the entry, run: status $?"
python3 - "$TMP/out.jsonl" "$gdb_left" <<'PY' || fail "a temporary entry breakpoint is not deleted as in gdb"
import sys
from events import last, load
ev = load(sys.argv[1])
assert last(ev, "stop")["reason"] == "breakpoint", last(ev, "stop")
assert len(last(ev, "breakpoints")["breakpoints"]) == int(sys.argv[2])
PY

finish
