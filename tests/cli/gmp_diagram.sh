#!/usr/bin/env bash
# info gmp diagram and info gmp dot at runtime.main (GOMAXPROCS=2): the
# diagram's boxes and the graph's edges name what info gmp decodes, and gdb
# reading runtime.m0 agrees (m0 holds allp[0], runs goroutine 1, on the
# thread whose id is m0.procid); the DOT goes through `dot -Tsvg`.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

main=$(nm_addr runtime.main)
GOMAXPROCS=2 bs_json -ex "break *$main" -ex run -ex 'info gmp' -ex 'info gmp diagram' \
	-ex 'info gmp dot' -ex 'info gmp pie' "$HELLO" ||
	[[ $? == 1 ]] || fail "bootscope: $(cat "$TMP/err.txt")"
check_jsonl "$TMP/out.jsonl" || fail "not JSON Lines"
grep -q "info gmp: unknown view 'pie'" "$TMP/out.jsonl" || fail "info gmp pie is not refused"

# the witness: gdb on the same program at the same stop
GOMAXPROCS=2 gdb_batch -ex "break *$main" -ex run -ex "print 'runtime.m0'.curg->goid" \
	-ex "print 'runtime.allp'.array[0]->id" \
	-ex "print 'runtime.m0'.p == 'runtime.allp'.array[0]" >"$TMP/gdb.txt"
goid=$(sed -nE 's/^\$1 = ([0-9]+)$/\1/p' "$TMP/gdb.txt")
pid0=$(sed -nE 's/^\$2 = ([0-9]+)$/\1/p' "$TMP/gdb.txt")
holds=$(sed -nE 's/^\$3 = ([0-9]+)$/\1/p' "$TMP/gdb.txt")
[[ $goid == 1 && $pid0 == 0 && $holds == 1 ]] ||
	fail "gdb: m0.curg.goid '$goid', allp[0].id '$pid0', m0.p == allp[0] '$holds'"

python3 - "$TMP/out.jsonl" "$TMP" <<'PY' || fail "diagram"
import sys
from events import by_name, Checks, load
by = by_name(load(sys.argv[1]))
check = Checks()
gmp = by["gmp"][0]
dia = by["diagram"][0]["text"]
dot = by["dot"][0]["text"]
open(sys.argv[2] + "/gmp.dot", "w").write(dot)

m0 = [m for m in gmp["m"] if m["id"] == 0][0]
check(m0["p_id"] == 0 and m0["curg_label"] == "g1", f"info gmp: m0 {m0}")
# the edges of the graph, from info gmp's objects
want = []
for m in gmp["m"]:
    if m["p_id"] is not None:
        want.append(f'"m{m["id"]}" -> "p{m["p_id"]}" [label="holds"]')
    if m["curg_label"]:
        want.append(f'"m{m["id"]}" -> "{m["curg_label"]}" [label="curg"]')
for p in gmp["p"]:
    if p["runnext_goid"] is not None:
        want.append(f'"p{p["id"]}" -> "g{p["runnext_goid"]}" [label="runnext"]')
    for i, g in enumerate(p["runq"]):
        want.append(f'"p{p["id"]}" -> "g{g}" [label="runq[{i}]"]')
for i, g in enumerate(gmp["sched"]["runq"]):
    want.append(f'"sched" -> "g{g}" [label="runq[{i}]"]')
for p in gmp["sched"]["pidle"]:
    want.append(f'"sched" -> "p{p}" [style=dotted, label="pidle"]')
check('"m0" -> "p0" [label="holds"]' in want and '"m0" -> "g1" [label="curg"]' in want,
      f"expected edges {want}")
edges = [l.strip().rstrip(";") for l in dot.splitlines() if "->" in l]
check(sorted(edges) == sorted(want), f"dot edges {edges}, want {want}")
check(dot.startswith("digraph gmp {") and dot.rstrip().endswith("}"), "not a digraph")
for n in [f'"m{m["id"]}"' for m in gmp["m"]] + [f'"p{p["id"]}"' for p in gmp["p"]]:
    check(f"  {n} [shape=box" in dot, f"no node {n}")

# the drawing: m0's box (its thread id, g0, curg) with the arrow to p0's box
lines = dia.splitlines()
row = [i for i, l in enumerate(lines) if l.startswith("┌─ m0 ")]
check(len(row) == 1, f"no box of m0 in\n{dia}")
r = row[0]
check("┌─ p0 _Prunning " in lines[r], f"p0's box is not right of m0's: {lines[r]}")
check(lines[r + 1].startswith(f"│ tid  {m0['procid']} ") and "──────▶│ runnext ▶ " in lines[r + 1],
      f"row 2 of m0's box: {lines[r + 1]}")
check(lines[r + 2].startswith("│ g0   g0 "), f"row 3: {lines[r + 2]}")
check(lines[r + 3].startswith("│ curg ▶ g1 "), f"row 4: {lines[r + 3]}")
idle = " ".join(f"p{p}" for p in gmp["sched"]["pidle"]) or "-"
check(f"idle Ps ▶ {idle}" in lines, f"no 'idle Ps ▶ {idle}' line in\n{dia}")
check(len(gmp["p"]) == 2, f"{len(gmp['p'])} Ps with GOMAXPROCS=2")
# every P has a box, the idle one with no M
for p in gmp["p"]:
    check(any(l.find(f"┌─ p{p['id']} {p['status_name']} ") >= 0 for l in lines), f"no box of p{p['id']}")
# each box's rows as wide as its top
widths = {len(l) for l in lines if l.startswith(("┌", "│", "└"))}
check(len(widths) <= 3, f"ragged boxes: widths {widths}")
sys.exit(check.report())
PY

command -v dot >/dev/null || { echo "dot (graphviz) is not installed: the SVG is not checked"; exit 77; }
dot -Tsvg "$TMP/gmp.dot" >"$TMP/gmp.svg" 2>"$TMP/dot.err" || fail "dot -Tsvg: $(cat "$TMP/dot.err")"
grep -q '<svg' "$TMP/gmp.svg" || fail "dot wrote no SVG"
[[ -s $TMP/dot.err ]] && fail "dot warns: $(cat "$TMP/dot.err")"
# the SVG keeps the graph's nodes
for n in m0 p0 p1 g1 sched; do
	grep -q "<title>$n</title>" "$TMP/gmp.svg" || fail "no node $n in the SVG"
done
echo "ok: info gmp diagram and dot at runtime.main agree with info gmp and gdb; dot -Tsvg reads it"
