#!/usr/bin/env bash
# print and ptype against gdb: at the same stop (runtime.main's first
# instruction, after schedinit, by its nm address) bootscope's typed values
# of the runtime's globals, parsed into name -> value trees, must equal
# gdb's, field by field and nested; ptype must name gdb's members.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: no gdb" >&2; exit 77; }

main=$(nm_addr runtime.main) || exit 1
# the same expressions, as each debugger spells them (gdb quotes Go names)
bs_exprs=('runtime.sched' 'runtime.ncpu' '*runtime.allp.array[0]' '*(long*)$rsp'
	'runtime.g0.stack' 'runtime.m0.curg.atomicstatus' '*(struct g *)$rdi')
gdb_exprs=("'runtime.sched'" "'runtime.ncpu'" "*'runtime.allp'.array[0]" '*(long*)$rsp'
	"'runtime.g0'.stack" "'runtime.m0'.curg.atomicstatus" '*(struct g *)$rdi')
ptypes=('struct g' 'struct schedt' 'struct p')

args=()
for e in "${bs_exprs[@]}"; do args+=(-ex "print $e"); done
for t in "${ptypes[@]}"; do args+=(-ex "echo @@ptype\\n" -ex "ptype $t"); done
env -u _ "$BOOTSCOPE" --batch -ex "break *$main" -ex run "${args[@]}" "$HELLO" \
	>"$TMP/bs.txt" 2>"$TMP/bs.err" || { cat "$TMP/bs.err" >&2; exit 1; }

args=()
for e in "${gdb_exprs[@]}"; do args+=(-ex "print $e"); done
for t in "${ptypes[@]}"; do args+=(-ex "echo @@ptype\\n" -ex "ptype $t"); done
gdb_batch -ex "break *$main" -ex run "${args[@]}" >"$TMP/gdb.txt"

PYTHONPATH="$(dirname "$0")/..${PYTHONPATH:+:$PYTHONPATH}" python3 - "$TMP/bs.txt" "$TMP/gdb.txt" \
	"${bs_exprs[@]}" <<'PY'
import re, sys
import gdbval

def results(path):
    text = open(path).read()
    vals = [l.split(" = ", 1)[1] for l in text.splitlines() if re.match(r"^\$\d+ = ", l)]
    types = [p.split("\n}")[0] for p in text.split("@@ptype\n")[1:]]
    return vals, types

bs, bst = results(sys.argv[1])
gdb, gdbt = results(sys.argv[2])
exprs = sys.argv[3:]
bad = 0
if len(bs) != len(exprs) or len(gdb) != len(exprs):
    print("FAIL: %d bootscope and %d gdb results for %d expressions" % (len(bs), len(gdb), len(exprs)))
    sys.exit(1)
for e, b, g in zip(exprs, bs, gdb):
    bv, gv = gdbval.norm(gdbval.parse(b)), gdbval.norm(gdbval.parse(g))
    d = gdbval.diff(gv, bv)
    n = gdbval.fields(gv)
    if d:
        bad += 1
        print("FAIL print %s: %d of %d values differ from gdb's: %s" % (e, len(d), n, "; ".join(d[:5])))
    else:
        print("ok print %s: %d values as gdb" % (e, n))
# the shapes the task names
if not re.fullmatch(r"\{lo = \d+, hi = \d+\}", bs[4]):
    bad += 1
    print("FAIL runtime.g0.stack is not {lo = N, hi = N}: " + bs[4])
if not bs[5].endswith("<_Grunning>"):
    bad += 1
    print("FAIL atomicstatus has no name: " + bs[5])
if bs[1] != "2" and not bs[1].isdigit():
    bad += 1
    print("FAIL runtime.ncpu is not a number: " + bs[1])
for b, g, name in zip(bst, gdbt, ["struct g", "struct schedt", "struct p"]):
    bm, gm = gdbval.ptype_members(b), gdbval.ptype_members(g)
    if bm != gm or not gm:
        bad += 1
        print("FAIL ptype %s: members %s != gdb's %s" % (name, bm[:8], gm[:8]))
    else:
        print("ok ptype %s: %d members as gdb" % (name, len(gm)))
sys.exit(1 if bad else 0)
PY
