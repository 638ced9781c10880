#!/usr/bin/env bash
# A stripped program (no .symtab) works: it runs to its normal end,
# stepping lands where gdb's stepi lands, break *ADDR stops there; what
# needs symbols (stage names, break by name, --list-stages) says plainly
# that the file has no symbol table.
# usage: stripped.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

S=$TMP/hello-stripped
strip -o "$S" "$HELLO"
if readelf -S "$S" | grep -q '\.symtab'; then
	fail "strip left a .symtab"
fi
sched=$(nm "$HELLO" | awk '$3 == "runtime.schedinit" { print "0x" $1 }')
sched=$(printf '0x%x' "$sched")

# runs to the end with the same output as when run directly
want_rc=0
want_out=$(env -u _ "$S") || want_rc=$?
bs 30 --batch --json -ex run "$S"
no_crash "run"
expect_rc 0 "run"
check_jsonl "$TMP/out" "run"
python3 - "$TMP/out" "$want_rc" "$want_out" <<'PY' || fail "run: $(head -c 600 "$TMP/out")"
import sys
from events import load, named, output
ev = load(sys.argv[1])
out = output(ev, "stdout")
assert out.rstrip("\n") == sys.argv[3], out
assert [e["code"] for e in named(ev, "exited")] == [int(sys.argv[2])]
PY

# stepping, against gdb on the same file
# gdb steps with tests/gdb_stepi.py, which counts cpuid as one step on every host
gdb_pc=$(gdb_batch "$S" -ex "source $(cd "$(dirname "$0")/.." && pwd)/gdb_stepi.py" -ex starti \
	-ex 'stepi-exact 40' -ex 'p/x $pc' | sed -n 's/^\$1 = //p')
bs 30 --batch --json -ex starti -ex 'stepi 40' "$S"
expect_rc 0 "stepi"
pc=$(python3 -c 'import sys; from events import load; print(load(sys.argv[1])[-1]["pc"])' "$TMP/out")
[ "$pc" = "$gdb_pc" ] || fail "stepi 40: pc $pc, gdb says $gdb_pc"

# break *ADDR (the address from the unstripped file's nm)
bs 30 --batch -ex "break *$sched" -ex run -ex 'p/x $pc' "$S"
expect_rc 0 "break *ADDR"
has "$TMP/out" "= $sched" "break *ADDR"

# what needs symbols says so, naming the file
nosym() {
	no_crash "$1"
	expect_rc 1 "$1"
	[ "$(lines "$TMP/err")" -eq 1 ] || fail "$1: want one line: $(cat "$TMP/err")"
	has "$TMP/err" "$S has no symbol table" "$1"
}
bs 30 --batch -ex 'break schedinit' "$S"
nosym "break schedinit"
bs 30 --batch -ex 'info stages' "$S"
nosym "info stages"
bs 30 --list-stages "$S"
nosym "--list-stages"

finish
