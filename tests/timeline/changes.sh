#!/usr/bin/env bash
# What a recorded step changed: `info changes` over the bundled hello.
# The steps are found by watchpoints (`watch -l`, exact step counts while
# recording), at each of which `info changes` names the step just run:
#  - rt0_go's store of g0.stack.lo (from a register);
#  - rt0_go's two stores to m0.tls[0] (fs:-8): the 0x123 test (an
#    immediate), then &g0 (a register; the value's label g0);
#  - rt0_go's store of &g0 into m0.g0;
#  - newproc's runqput storing goroutine 1's g into p0.runnext (an xchg;
#    the label g1, the g `info g 1` names).
# gdb is the witness of each: a breakpoint at the pc bootscope names gives
# the source register and the old value before it runs; a software
# watchpoint on the address stops right after that instruction with the
# new value. The register runqput stored holds that value from the step
# info changes says set it (source.set_step) on, and not before it (goto
# and print). Then `info changes STEP` names the same from the history at
# main.main, its text form reads as the TUI shows it, and errors.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: gdb is not installed"; exit 77; }

bs --batch --json -ex 'watch -l runtime.g0.stack.lo' -ex run -ex 'info changes' -ex delete \
	-ex 'watch -l runtime.m0.tls[0]' -ex continue -ex 'info changes' -ex continue \
	-ex 'info changes' -ex delete -ex 'watch -l runtime.m0.g0' -ex continue -ex 'info changes' \
	-ex delete -ex 'break runtime.newproc' -ex continue -ex 'watch -l runtime.allp[0].runnext' \
	-ex continue -ex 'info changes' -ex delete -ex 'info g 1' \
	"$HELLO" >"$TMP/c.jsonl" 2>"$TMP/c.err" || { fail "bootscope: $(cat "$TMP/c.err")"; finish; }

# Per change: step, address, pc, source register (or -), for gdb.
python3 - "$TMP/c.jsonl" >"$TMP/plan" <<'PY' || { fail "the watchpoint run: see above"; finish; }
import sys
from events import load, named
ev = load(sys.argv[1])
ch = named(ev, "changes")
if len(ch) != 5 or any(len(c["changes"]) != 1 for c in ch):
    sys.exit("five steps of one change each expected: %s" % [[x["path"] for x in c["changes"]] for c in ch])
for c in ch:
    x = c["changes"][0]
    src = c["source"]["register"] if c["source"]["kind"] == "register" else "-"
    print(c["step"], x["addr"], c["pc"], src)
PY
mapfile -t PLAN <"$TMP/plan"

gdbw() {
	"${PIN[@]}" env -i PATH="$PATH" BOOTSCOPE_TEST=1 gdb -nx -batch -ex 'set startup-with-shell off' \
		-ex 'unset environment LINES' -ex 'unset environment COLUMNS' \
		-ex 'set can-use-hw-watchpoints 0' "$@" "$HELLO" 2>&1
}
gdb_ptrace_probe gdbw -ex starti
# For each change: at a breakpoint on its pc, the source register and the
# old value; after it (a watchpoint), the pc and the new value.
args=(-ex starti)
for p in "${PLAN[@]}"; do
	read -r _ addr pc reg <<<"$p"
	args+=(-ex "break *$pc" -ex continue -ex delete)
	if [[ $reg == - ]]; then
		args+=(-ex 'print/x 0')
	else
		args+=(-ex "print/x \$$reg")
	fi
	args+=(-ex "print/x *(long *)$addr" -ex "watch -l *(long *)$addr" -ex continue \
		-ex 'print/x $pc' -ex "print/x *(long *)$addr" -ex delete -ex "x/2i $pc")
done
gdbw "${args[@]}" >"$TMP/g.txt"

python3 - "$TMP/c.jsonl" "$TMP/g.txt" <<'PY' || fail "info changes against gdb"
import re, sys
from events import hexint, load, named

ev = load(sys.argv[1])
g = open(sys.argv[2]).read()
bad = []

def check(cond, what):
    if not cond:
        bad.append(what)

def val(tree):
    return hexint(tree["value"]) if isinstance(tree["value"], str) else tree["value"]

def next_insn(pc):
    addrs = [int(a, 16) for a in re.findall(r"^(?:=> )?\s*(0x[0-9a-f]+)", g, re.M)]
    for i, a in enumerate(addrs[:-1]):
        if a == pc:
            return addrs[i + 1]
    return None

ch = named(ev, "changes")
g1 = hexint(named(ev, "g")[0]["addr"])
prints = [int(v, 16) for v in re.findall(r"^\$\d+ = (0x[0-9a-f]+|0)$", g, re.M)]
check(len(prints) == 4 * len(ch), f"gdb printed {len(prints)} values for {len(ch)} changes:\n{g}")
want = [
    ("g0.stack.lo", "rt0_go.g0_stack", "runtime.rt0_go+", "register", None),
    ("m0.tls[0]", "rt0_go.tls_check", "runtime.rt0_go+", "immediate", None),
    ("m0.tls[0]", "rt0_go.wire", "runtime.rt0_go+", "register", "g0"),
    ("m0.g0", "rt0_go.wire", "runtime.rt0_go+", "register", "g0"),
    ("p0.runnext", "runtime.newproc", "runtime.runqput+", "register", "g1"),
]
stops = [s for s in named(ev, "stop") if s["reason"] == "watchpoint"]
check(len(stops) == 5, f"{len(stops)} watchpoint stops")
for i, (c, w) in enumerate(zip(ch, want)):
    path, stage, sym, kind, label = w
    x = c["changes"][0]
    where = f"change {i} ({path})"
    check(x["path"] == path, f"{where}: path {x['path']}")
    check(c["stage"] == stage, f"{where}: stage {c['stage']}")
    check(c["symbol"].startswith(sym) and x["symbol"] == c["symbol"], f"{where}: {c['symbol']}")
    check(c["wrote"] and not c["free_run"] and not c["truncated"], f"{where}: flags {c}")
    check(x["size"] == 8 and x["step"] == c["step"] and x["pc"] == c["pc"], f"{where}: {x}")
    check(c["source"]["kind"] == kind, f"{where}: source {c['source']}")
    check(x["new_label"] == label, f"{where}: new label {x['new_label']}")
    if i < len(stops):
        s = stops[i]
        check(s["steps"] == c["step"] and s["access_pc"] == c["pc"],
              f"{where}: the watchpoint stopped at step {s['steps']} after {s['access_pc']}")
        num = lambda v: hexint(v) if isinstance(v, str) else v
        check(num(s["old"]) == val(x["old"]) and num(s["new"]) == val(x["new"]),
              f"{where}: the watchpoint saw {s['old']} -> {s['new']}")
    if len(prints) == 4 * len(ch):
        reg, old, g_pc, new = prints[4 * i:4 * i + 4]
        pc = hexint(c["pc"])
        check(next_insn(pc) == g_pc, f"{where}: gdb stopped at {g_pc:#x}, not after {c['pc']}")
        check(val(x["old"]) == old and val(x["new"]) == new,
              f"{where}: {val(x['old']):#x} -> {val(x['new']):#x}, gdb {old:#x} -> {new:#x}")
        if kind == "register":
            check(reg == new, f"{where}: %{c['source']['register']} held {reg:#x} before "
                  f"the store, not {new:#x}")
        m = re.search(r"^(?:=> )?\s*%s\b.*?:\s+(\S+)\s+(.*)$" % re.escape(c["pc"]), g, re.M)
        check(m is not None and c["insn"].startswith(m.group(1)[:3]),
              f"{where}: insn {c['insn']}, gdb {m.group(0) if m else None}")
        if m and kind == "register":
            check("%" + c["source"]["register"] in m.group(2),
                  f"{where}: gdb's {m.group(0)} does not name %{c['source']['register']}")
        if kind == "immediate":
            check(c["source"]["value"] == new == 0x123, f"{where}: immediate {c['source']}")
if len(ch) == 5:
    check(val(ch[4]["changes"][0]["new"]) == g1, f"runnext's g1 is not goroutine 1's g {g1:#x}")
    check(val(ch[2]["changes"][0]["old"]) == 0x123, "fs:-8 held the 0x123 test before &g0")

for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# The same steps from the history at main.main: the same names and values;
# the text form as the TUI's Changes pane shows it.
read -r S_LO S_IMM S_TLS S_G0 S_PUT <<<"$(cut -d' ' -f1 "$TMP/plan" | tr '\n' ' ')"
bs --batch --json -ex 'break main.main' -ex run -ex "info changes $S_LO" -ex "info changes $S_PUT" \
	-ex "info changes $S_G0" "$HELLO" >"$TMP/h.jsonl" 2>"$TMP/h.err" ||
	fail "history: $(cat "$TMP/h.err")"
python3 - "$TMP/c.jsonl" "$TMP/h.jsonl" <<'PY' || fail "info changes STEP from the history"
import sys
from events import load, named
live = {c["step"]: c for c in named(load(sys.argv[1]), "changes")}
hist = named(load(sys.argv[2]), "changes")
bad = []
if len(hist) != 3:
    bad.append(f"{len(hist)} changes events")
for h in hist:
    l = live.get(h["step"])
    if not l:
        bad.append(f"step {h['step']} not among the live ones")
        continue
    for k in ("pc", "symbol", "stage", "insn", "source", "changes"):
        if h[k] != l[k]:
            bad.append(f"step {h['step']}: {k} {h[k]} live {l[k]}")
    if h["last"] <= h["step"]:
        bad.append(f"step {h['step']}: asked from the history, last {h['last']}")
for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
# The source register of the runqput store: unchanged from the step that
# set it (source.set_step) to the store, changed at that step (the record's
# registers at those steps, by goto).
read -r SET REG < <(python3 - "$TMP/c.jsonl" <<'PY'
import sys
from events import load, named
c = named(load(sys.argv[1]), "changes")[-1]
print(c["source"]["set_step"], c["source"]["register"])
PY
)
[[ $SET =~ ^[0-9]+$ && $SET -lt $S_PUT ]] || fail "runqput's source register: set at step '$SET'"
bs --batch --json -ex 'break main.main' -ex run -ex "goto $((SET - 1))" -ex "print \$$REG" \
	-ex "goto $SET" -ex "print \$$REG" -ex "goto $((S_PUT - 1))" -ex "print \$$REG" \
	"$HELLO" >"$TMP/r.jsonl" 2>"$TMP/r.err" || fail "goto: $(cat "$TMP/r.err")"
python3 - "$TMP/r.jsonl" "$TMP/c.jsonl" <<'PY' || fail "the source register's set_step"
import sys
from events import load, named
p = [e["value"] for e in named(load(sys.argv[1]), "print")]
new = named(load(sys.argv[2]), "changes")[-1]["changes"][0]["new"]["value"]
ok = len(p) == 3 and p[0] != p[1] and p[1] == p[2] == new
if not ok:
    print(f"FAIL: the register before, at and after its set step: {p}, stored {new}", file=sys.stderr)
sys.exit(0 if ok else 1)
PY
bs --batch -ex 'break main.main' -ex run -ex "info changes $S_PUT" -ex "info changes $S_IMM" \
	-ex 'info changes 1' "$HELLO" >"$TMP/t.txt" 2>&1 || fail "text: $(cat "$TMP/t.txt")"
for want in "^Step $S_PUT: 0x[0-9a-f]+ <runtime\\.runqput\\+0x[0-9a-f]+> \\[runtime\\.newproc\\]\$" \
	"^  => xchgq %$REG, 0x[0-9a-f]+\\(%[a-z0-9]+\\), stored from %$REG \\(set at step $SET\\)\$" \
	'^  p0\.runnext: 0 -> g1 \(runtime\.runqput\)$' \
	'^  => movq \$0x123, %fs:0xfffffffffffffff8, stored the immediate 291$' \
	'^  m0\.tls\[0\]: 0 -> 291 \(runtime\.rt0_go\)$' '^Step 1 changed no memory\.$'; do
	grep -Eq -- "$want" "$TMP/t.txt" || fail "no line /$want/ in the text form:
$(cat "$TMP/t.txt")"
done

# Errors: a step not recorded, no record.
bs --batch -ex 'stepi 10' -ex 'info changes 99' "$HELLO" >"$TMP/e.txt" 2>&1 || true
grep -q 'step 99 is not recorded (the record holds steps 1\.\.10)' "$TMP/e.txt" ||
	fail "info changes 99: $(cat "$TMP/e.txt")"
bs --batch -ex 'stepi 10' -ex 'info changes -1' "$HELLO" >"$TMP/e.txt" 2>&1 &&
	fail "info changes -1 succeeded"
grep -q 'step -1 is not recorded (the record holds steps 1\.\.10)' "$TMP/e.txt" ||
	fail "info changes -1: $(cat "$TMP/e.txt")"
bs --batch -ex 'record off' -ex 'stepi 10' -ex 'info changes' "$HELLO" >"$TMP/n.txt" 2>&1 &&
	fail "info changes without a record succeeded"
grep -q 'no recorded history' "$TMP/n.txt" || fail "without a record: $(cat "$TMP/n.txt")"

finish
