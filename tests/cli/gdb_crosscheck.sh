#!/usr/bin/env bash
# gdb in batch mode as the witness: for the same stops (breakpoints at
# addresses from nm, and N single steps from the entry point) bootscope must
# report the same pc, rsp, fs_base, g at fs:-8 and x/2gx $rsp words as gdb.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: no gdb" >&2; exit 77; }

# gdb's view: "NAME VALUE" lines for the values bootscope reports.
gdb_view() { # gdb -ex commands that stop the program somewhere
	gdb_batch "$@" \
		-ex 'printf "pc %#lx\n", $pc' \
		-ex 'printf "rsp %#lx\n", $rsp' \
		-ex 'printf "fs_base %#lx\n", $fs_base' \
		-ex 'printf "g %#lx\n", $fs_base ? *(long *)($fs_base - 8) : 0' \
		-ex 'printf "w0 %#lx\n", *(long *)$rsp' \
		-ex 'printf "w1 %#lx\n", *(long *)($rsp + 8)' |
		grep -E '^(pc|rsp|fs_base|g|w0|w1) ' || true
}

# bootscope's view of the same, from its JSON events.
bs_view() { # bootscope -ex commands that stop the program somewhere
	local args=()
	for c in "$@"; do args+=(-ex "$c"); done
	bs_json "${args[@]}" -ex 'x/2gx $rsp' -ex 'p/x $g' "$HELLO" ||
		{ echo "bootscope failed: $(cat "$TMP/err.txt")" >&2; return 1; }
	python3 - "$TMP/out.jsonl" <<'PY'
import sys
from events import hexint, last, load
ev = load(sys.argv[1])
stop = last(ev, "stop")
x = last(ev, "x")
p = last(ev, "print")
h = lambda v: f"{hexint(v):#x}" if hexint(v) else "0"
print("pc", h(stop["pc"]))
print("rsp", h(stop["regs"]["rsp"]))
print("fs_base", h(stop["fs_base"]))
print("g", h(p["hex"]))
print("w0", f"{x['items'][0]['value']:#x}" if x['items'][0]['value'] else "0")
print("w1", f"{x['items'][1]['value']:#x}" if x['items'][1]['value'] else "0")
PY
}

compare() { # what, then the two views in files
	if ! diff -u "$2" "$3" >"$TMP/diff"; then
		fail "$1: bootscope and gdb differ:"
		cat "$TMP/diff" >&2
	fi
}

for sym in runtime.settls runtime.schedinit runtime.newproc runtime.main main.main; do
	addr=$(nm_addr "$sym")
	gdb_view -ex "break *$addr" -ex run >"$TMP/gdb.txt"
	bs_view "break *$addr" run >"$TMP/bs.txt" || { fail "$sym: bootscope"; continue; }
	compare "break at $sym ($addr)" "$TMP/bs.txt" "$TMP/gdb.txt"
	grep -q "^pc $addr$" "$TMP/bs.txt" || fail "$sym: pc is not $addr: $(cat "$TMP/bs.txt")"
done

# finish, nexti over a call, advance: the same stop as gdb's.
newproc=$(nm_addr runtime.newproc)
gdb_view -ex "break *$newproc" -ex run -ex finish >"$TMP/gdb.txt"
bs_view "break *$newproc" run finish >"$TMP/bs.txt" || fail "finish: bootscope"
compare "finish from runtime.newproc" "$TMP/bs.txt" "$TMP/gdb.txt"

call_settls=$(python3 -c 'import json,sys; print(next(s["addr"] for s in json.load(open(sys.argv[1]))["stages"] if s["name"] == "rt0_go.settls"))' \
	<(env -u _ "$BOOTSCOPE" --list-stages --json "$HELLO"))
gdb_view -ex "break *$call_settls" -ex run -ex nexti >"$TMP/gdb.txt"
bs_view "break *$call_settls" run nexti >"$TMP/bs.txt" || fail "nexti: bootscope"
compare "nexti over the call of runtime.settls" "$TMP/bs.txt" "$TMP/gdb.txt"
grep -q "^pc $call_settls$" "$TMP/bs.txt" && fail "nexti did not move"

mainmain=$(nm_addr main.main)
gdb_view -ex starti -ex "advance *$mainmain" >"$TMP/gdb.txt"
bs_view "advance main.main" >"$TMP/bs.txt" || fail "advance: bootscope"
compare "advance main.main" "$TMP/bs.txt" "$TMP/gdb.txt"

# stepi N from the entry point lands where gdb's stepi N lands, for N up
# to nearly the whole run (its length measured first). gdb steps with
# tests/gdb_stepi.py, which counts cpuid as one step on every host.
GDB_STEPI=$(cd "$(dirname "$0")/.." && pwd)/gdb_stepi.py
bs_json -ex 'stepi 100000000' "$HELLO" || fail "stepping the whole run: $(cat "$TMP/err.txt")"
total=$(python3 -c 'import sys; from events import load; print(load(sys.argv[1])[-1]["steps"])' "$TMP/out.jsonl")
[ "$total" -gt 1000 ] || fail "the whole run took only $total steps"
for n in 1 3 40 1000 $((total / 2)) $((total - 5)); do
	gdb_view -ex "source $GDB_STEPI" -ex starti -ex "stepi-exact $n" >"$TMP/gdb.txt"
	bs_view "stepi $n" >"$TMP/bs.txt" || { fail "stepi $n: bootscope"; continue; }
	compare "stepi $n" "$TMP/bs.txt" "$TMP/gdb.txt"
done

finish
