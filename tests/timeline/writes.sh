#!/usr/bin/env bash
# Who wrote this? `info writes` over the bundled hello recorded to
# main.main, with gdb's software watchpoints as the witness:
#  - info writes runtime.m0.p: its first writer is the instruction gdb's
#    `watch -l` on the field stops after, with the values gdb reports;
#  - info writes *($fs_base-8)@8: the 0x123 test store, the store of &g0 in
#    rt0_go and the store in gogo, in order, each at the pc gdb stops after
#    and with the values gdb sees, and nothing else before main.main;
#  - watch + reverse-continue stops at the last of them (the state before
#    it, as gdb reports a reverse watchpoint), a second one at the one
#    before, and continue through the history at the next one again;
#  - the JSON event's fields, and the errors of info writes and info reads.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: gdb is not installed"; exit 77; }

bs --batch --json -ex 'break main.main' -ex run \
	-ex 'info writes runtime.m0.p' -ex 'info writes *($fs_base-8)@8' \
	-ex 'watch *($fs_base-8)' -ex 'reverse-continue' -ex 'print $pc' \
	-ex 'reverse-continue' -ex 'print $pc' -ex 'continue' -ex 'continue' \
	"$HELLO" >"$TMP/w.jsonl" 2>"$TMP/w.err" || { fail "bootscope: $(cat "$TMP/w.err")"; finish; }

# The addresses and pcs bootscope found, for gdb.
read -r P_ADDR P_PC TLS_ADDR TLS_PCS < <(python3 - "$TMP/w.jsonl" <<'PY'
import sys
from events import load, named
w = named(load(sys.argv[1]), "writes")
p, tls = w[0], w[1]
print(p["addr"], p["writes"][0]["pc"] if p["writes"] else "0x0", tls["addr"],
      ",".join(e["pc"] for e in tls["writes"]))
PY
)

gdbw() {
	"${PIN[@]}" env -i PATH="$PATH" BOOTSCOPE_TEST=1 gdb -nx -batch -ex 'set startup-with-shell off' \
		-ex 'unset environment LINES' -ex 'unset environment COLUMNS' \
		-ex 'set can-use-hw-watchpoints 0' "$@" "$HELLO" 2>&1
}
gdb_ptrace_probe gdbw -ex starti
# m0.p: gdb's first stop, its pc and the value; the address is gdb's own
# &'runtime.m0'.p. The instruction before that pc: x/2i at bootscope's pc.
gdbw -ex starti -ex "print/x &'runtime.m0'.p" -ex "watch -l *(long *)&'runtime.m0'.p" \
	-ex continue -ex 'print/x $pc' -ex "print/x *(long *)&'runtime.m0'.p" \
	-ex "x/2i $P_PC" >"$TMP/g1.txt"
# fs:-8 (m0.tls[0]): every stop of gdb's watchpoint up to main.main.
args=(-ex starti -ex "watch -l *(long *)$TLS_ADDR" -ex "break *'main.main'")
for _ in 1 2 3 4 5; do
	args+=(-ex continue -ex 'print/x $pc' -ex "print/x *(long *)$TLS_ADDR")
done
IFS=, read -ra pcs <<<"$TLS_PCS"
for pc in "${pcs[@]}"; do
	args+=(-ex "x/2i $pc")
done
gdbw "${args[@]}" >"$TMP/g2.txt"

python3 - "$TMP/w.jsonl" "$TMP/g1.txt" "$TMP/g2.txt" <<'PY' || fail "info writes against gdb"
import re, sys
from events import load, named

ev = load(sys.argv[1])
g1 = open(sys.argv[2]).read()
g2 = open(sys.argv[3]).read()
bad = []

def check(cond, what):
    if not cond:
        bad.append(what)

def prints(text):
    return [int(v, 16) for v in re.findall(r"^\$\d+ = (0x[0-9a-f]+)$", text, re.M)]

def next_insn(text, pc):
    """The address of the instruction after pc, from gdb's x/2i at pc."""
    addrs = [int(a, 16) for a in re.findall(r"^(?:=> )?\s*(0x[0-9a-f]+)", text, re.M)]
    for i, a in enumerate(addrs[:-1]):
        if a == pc:
            return addrs[i + 1]
    return None

def val(tree):
    return int(tree["value"], 16) if isinstance(tree["value"], str) else tree["value"]

writes = named(ev, "writes")
check(len(writes) == 2, f"two writes events, got {len(writes)}")
p, tls = writes[0], writes[1]

# -- runtime.m0.p --------------------------------------------------------
gp = prints(g1)
check(len(gp) == 3, f"gdb printed &m0.p, $pc and the value: {gp}\n{g1}")
if len(gp) == 3:
    g_addr, g_pc, g_val = gp
    check(int(p["addr"], 16) == g_addr, f"m0.p at {p['addr']}, gdb says {g_addr:#x}")
    check(p["len"] == 8, f"m0.p is 8 bytes: {p['len']}")
    check(p["writes"], "no write of m0.p recorded")
    if p["writes"]:
        w = p["writes"][0]
        pc = int(w["pc"], 16)
        check(next_insn(g1, pc) == g_pc,
              f"first writer {w['pc']} ({w['symbol']}) is not the instruction before "
              f"gdb's stop at {g_pc:#x}")
        check(val(w["old"]) == 0 and val(w["new"]) == g_val,
              f"m0.p: {w['old']} -> {w['new']}, gdb saw 0 -> {g_val:#x}")
        check(w["symbol"].startswith("runtime.acquirep"), f"writer {w['symbol']}")
        check(w["stage"] == "runtime.schedinit", f"stage {w['stage']}")
        check(w["free_run"] is False, "a stepped write marked as a free run")
        check(w["old"]["type"] == p["type"], f"typed as {p['type']}: {w['old']}")
        for k in ("step", "tid", "pc", "symbol", "stage", "old", "new"):
            check(k in w, f"entry without {k}")

# -- fs:-8 ---------------------------------------------------------------
# gdb: a (pc, value) pair per watchpoint stop before the stop at main.main
at_main = g2.find("Breakpoint 2, ")
check(at_main >= 0, f"gdb did not reach main.main:\n{g2}")
gt = prints(g2[:at_main]) if at_main >= 0 else []
stops = list(zip(gt[0::2], gt[1::2]))
tw = tls["writes"]
check(tls["type"] is None and tls["len"] == 8, f"raw 8 bytes: {tls['type']} {tls['len']}")
check(len(tw) == 3, f"three writes of fs:-8 before main.main: {[(e['symbol'], e['new']) for e in tw]}")
nstops = len(stops)
check(nstops == len(tw), f"gdb stopped {nstops} times, bootscope lists {len(tw)}:\n{g2}")
prev = None
for i, (e, (g_pc, g_val)) in enumerate(zip(tw, stops)):
    pc = int(e["pc"], 16)
    check(next_insn(g2, pc) == g_pc, f"write {i}: {e['pc']} is not the instruction "
          f"before gdb's stop at {g_pc:#x}")
    check(val(e["new"]) == g_val, f"write {i}: new {val(e['new']):#x}, gdb {g_val:#x}")
    if prev is not None:
        check(val(e["old"]) == prev, f"write {i}: old {val(e['old']):#x} is not the "
              f"value before it {prev:#x}")
    check(prev is None or e["step"] > tw[i - 1]["step"], "not in step order")
    prev = val(e["new"])
if len(tw) == 3:
    check(val(tw[0]["new"]) == 0x123, f"the first store is the 0x123 test: {tw[0]['new']}")
    check(tw[0]["symbol"].startswith("runtime.rt0_go") and
          tw[1]["symbol"].startswith("runtime.rt0_go"), "the first two in rt0_go")
    check(tw[2]["symbol"].startswith("runtime.gogo"), f"the last in gogo: {tw[2]['symbol']}")

# -- watch + reverse-continue --------------------------------------------
st = named(ev, "stop")
pr = named(ev, "print")
# run, rc, rc, continue, continue
check(len(st) == 5 and len(pr) == 2, f"{len(st)} stops, {len(pr)} prints")
if len(st) == 5 and len(tw) == 3:
    rc1, rc2, c1, c2 = st[1], st[2], st[3], st[4]
    last, mid = tw[2], tw[1]
    check(rc1["reason"] == "watchpoint" and rc1["pc"] == last["pc"],
          f"reverse-continue stops at the store in gogo {last['pc']}: {rc1['reason']} {rc1['pc']}")
    check(rc1["old"] == val(last["new"]) and rc1["new"] == val(last["old"]),
          f"reverse values {rc1.get('old')} -> {rc1.get('new')}")
    check(rc1["steps"] == last["step"] - 1, f"at step {rc1['steps']}, before step {last['step']}")
    check(pr[0]["value"] == int(last["pc"], 16), f"$pc {pr[0]['value']:#x}")
    check(rc2["reason"] == "watchpoint" and rc2["pc"] == mid["pc"],
          f"the second reverse-continue at {mid['pc']}: {rc2['pc']}")
    check(c1["reason"] == "watchpoint" and c1["steps"] == mid["step"] and
          c1["access_pc"] == mid["pc"] and c1["old"] == val(mid["old"]) and
          c1["new"] == val(mid["new"]),
          f"continue in history stops after {mid['pc']} at step {mid['step']}: {c1}")
    check(c2["reason"] == "watchpoint" and c2["steps"] == last["step"],
          f"then after the store in gogo at step {last['step']}: {c2['steps']}")

for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# Bad input: one error line each.
bs --batch -ex 'stepi 100' -ex 'info writes' -ex 'info writes $rax' \
	-ex 'info writes *($rsp)@0' -ex 'info writes *($rsp)@5000' \
	-ex 'info reads runtime.m0.p' "$HELLO" >"$TMP/e.txt" 2>&1 || true
for want in 'info writes needs an argument' "cannot look for writes of '\$rax': it is not in memory" \
	'the length in' 'the most is 4096' "cannot list the reads of 'runtime.m0.p'"; do
	grep -qF -- "$want" "$TMP/e.txt" || fail "no error '$want': $(cat "$TMP/e.txt")"
done
# No record: recording off.
bs --batch -ex 'record off' -ex 'stepi 10' -ex 'info writes runtime.m0.p' "$HELLO" \
	>"$TMP/n.txt" 2>&1 && fail "info writes without a record succeeded"
grep -q 'no recorded history' "$TMP/n.txt" || fail "without a record: $(cat "$TMP/n.txt")"

finish
