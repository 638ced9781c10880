#!/usr/bin/env bash
# A saved recording reproduces every view: for steps across the boot, the
# views bootscope shows live after `stepi N` (registers, TLS and g, G/M/P,
# the stack, memory, code, stages) equal those of `--replay FILE` after
# `goto N`, and stepping both ways in the replay comes back to the same
# state. JSON members that differ between two live runs (thread ids, clock
# readings, the random bytes of auxv) are left out of the comparison, and
# there must be few of them. One value is left out by what it is: the EBX
# of CPUID leaf 1, whose top byte (the initial APIC id) changes from run to
# run under a hypervisor, even on one CPU; the runtime's registers and stack
# keep it. Each run writes a trace, which gives that run's value.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

REC=$TMP/boot.bstl
# Record the whole run (full mode: continue single-steps).
bs --batch --json --record "$REC" --trace "$TMP/rec.trace" -ex run "$HELLO" >"$TMP/rec.jsonl" 2>"$TMP/rec.err" ||
	{ fail "recording failed: $(cat "$TMP/rec.err")"; finish; }
last=$(python3 -c '
import sys
from events import last, load
print(last(load(sys.argv[1]), "exited")["steps"])' "$TMP/rec.jsonl")
[ -s "$REC" ] || fail "no recording written"
echo "recorded $last steps into $(stat -c %s "$REC") bytes"

VIEWS=(-ex 'info registers' -ex 'info tls' -ex 'info g' -ex 'info gmp' -ex 'info stack 24'
       -ex 'x/16gx $rsp' -ex 'x/6i $pc' -ex 'info stages' -ex 'info threads' -ex 'p $g')

# The views as JSON lines, the "stop" event and thread ids aside.
views() { # OUT, then bootscope arguments
	local out=$1
	shift
	bs --batch --json "$@" >"$out.raw" 2>"$out.err" || { fail "bootscope $*: $(cat "$out.err")"; return 1; }
	python3 - "$out.raw" >"$out" <<'PY'
import json, sys
from events import load
def drop_tids(v):
    if isinstance(v, dict):
        return {k: drop_tids(x) for k, x in v.items() if k not in ("tid", "pid")}
    if isinstance(v, list):
        return [drop_tids(x) for x in v]
    return v
for e in load(sys.argv[1]):
    if e["event"] in ("stop", "output"):
        continue
    print(json.dumps(drop_tids(e), sort_keys=True))
PY
}

# cpuid_ebx TRACE: the EBX that the run's CPUID leaf 1 returned (the
# second cpuid of rt0_go).
cpuid_ebx() {
	python3 - "$1" <<'PY'
import json, sys
from events import hexint
hits = [json.loads(l) for l in open(sys.argv[1]) if '"insn":"cpuid"' in l]
print(hexint(hits[1]["regs"]["rbx"]))
PY
}

# Compare the replay's views with live ones where two live runs agree.
compare() { # what, live1, live2, replay, then the runs' CPUID EBX values
	python3 - "$@" <<'PY' || fail "$1: the replay differs from the live run"
import sys
from events import hexint, load
what, a, b, r = sys.argv[1:5]
ebx = {int(v) for v in sys.argv[5:]}
def is_ebx(v):
    if isinstance(v, str) and v.startswith("0x"):
        try:
            v = hexint(v)
        except ValueError:
            return False
    return isinstance(v, int) and v in ebx
A, B, R = load(a), load(b), load(r)
bad = []
n = masked = 0
def walk(x, y, z, path):
    global n, masked
    if isinstance(x, dict) and isinstance(y, dict) and x.keys() == y.keys():
        if not isinstance(z, dict) or z.keys() != x.keys():
            bad.append(f"{path}: members {sorted(z) if isinstance(z, dict) else z} != {sorted(x)}")
            return
        for k in x:
            walk(x[k], y[k], z[k], f"{path}.{k}")
        return
    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        if not isinstance(z, list) or len(z) != len(x):
            bad.append(f"{path}: {len(z) if isinstance(z, list) else z} items != {len(x)}")
            return
        for i, (p, q, s) in enumerate(zip(x, y, z)):
            walk(p, q, s, f"{path}[{i}]")
        return
    if x != y:
        masked += 1
        return
    if z != x and is_ebx(z) and is_ebx(x):
        masked += 1
        return
    n += 1
    if z != x:
        bad.append(f"{path}: replay {z!r}, live {x!r}")
if len(A) != len(B) or len(A) != len(R):
    bad.append(f"{len(R)} events in the replay, {len(A)} and {len(B)} live")
for i, (x, y, z) in enumerate(zip(A, B, R)):
    walk(x, y, z, f"{x.get('event')}#{i}")
print(f"{what}: {n} values equal, {masked} differ between live runs")
for m in bad[:20]:
    print("  " + m, file=sys.stderr)
sys.exit(1 if bad or masked * 20 > n else 0)
PY
}

# (from step 200: before settls there is no g for `info g`)
for n in 200 1000 $((last / 4)) $((last / 2)) $((last * 3 / 4)) $((last - 1)); do
	views "$TMP/live1" --trace "$TMP/live1.trace" -ex "stepi $n" "${VIEWS[@]}" "$HELLO" || continue
	views "$TMP/live2" --trace "$TMP/live2.trace" -ex "stepi $n" "${VIEWS[@]}" "$HELLO" || continue
	views "$TMP/replay" --replay "$REC" -ex "goto $n" "${VIEWS[@]}" || continue
	compare "step $n" "$TMP/live1" "$TMP/live2" "$TMP/replay" \
		"$(cpuid_ebx "$TMP/rec.trace")" "$(cpuid_ebx "$TMP/live1.trace")" "$(cpuid_ebx "$TMP/live2.trace")"
	# both ways: forward and back again in the replay
	k=$((last - n < 7 ? last - n : 7))
	views "$TMP/replay2" --replay "$REC" -ex "goto $n" -ex "stepi $k" -ex "reverse-stepi $k" "${VIEWS[@]}" || continue
	diff -u "$TMP/replay" "$TMP/replay2" >"$TMP/d" || { fail "step $n: stepi 7 + reverse-stepi 7 changed the views"; head -20 "$TMP/d" >&2; }
done

# The stop events of the replay report the step and the history it is in.
bs --batch --json --replay "$REC" -ex 'goto 500' -ex 'reverse-stepi 3' -ex 'stepi' -ex 'reverse-continue' >"$TMP/nav.jsonl" 2>"$TMP/nav.err" ||
	fail "navigation in the replay: $(cat "$TMP/nav.err")"
python3 - "$TMP/nav.jsonl" "$last" <<'PY' || fail "stop events while replaying"
import sys
from events import load, named
ev = load(sys.argv[1])
last = int(sys.argv[2])
stops = named(ev, "stop")
assert [s["steps"] for s in stops[:3]] == [500, 497, 498], [s["steps"] for s in stops]
for s in stops:
    assert s["history"] == {"first": 0, "last": last, "replay": True}, s["history"]
assert stops[3]["at_stage"] is not None and stops[3]["steps"] < 498, stops[3]
PY

# starti and run in a replay go back to its first step and replay forward.
bs --batch --json --replay "$REC" -ex 'goto 900' -ex 'break runtime.schedinit' -ex run -ex 'info record' \
	>"$TMP/run.jsonl" 2>"$TMP/run.err" || fail "run in the replay: $(cat "$TMP/run.err")"
# where a live run stepping one instruction at a time first reaches it
bs --batch --json -ex "stepi $((last - 1))" -ex 'info stages' "$HELLO" >"$TMP/stages.jsonl"
python3 - "$TMP/run.jsonl" "$TMP/stages.jsonl" <<'PY' || fail "run in the replay stops where a live run first reaches the breakpoint"
import sys
from events import last, load
ev = load(sys.argv[1])
live = load(sys.argv[2])
stop = last(ev, "stop")
rec = last(ev, "record")
want = [s for s in last(live, "stages")["stages"] if s["name"] == "runtime.schedinit"][0]["steps"]
assert stop["reason"] == "breakpoint" and stop["symbol"] == "runtime.schedinit", stop
assert stop["steps"] == want, (stop["steps"], want)
assert rec["replay"] and rec["history"], rec
print("run in the replay stops at step", stop["steps"], "as stepping live reaches it")
PY
finish
