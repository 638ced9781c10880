#!/usr/bin/env bash
# Dynamically linked PIE programs work, with the load bias: /bin/true and
# /bin/false stop first where gdb's starti does (the loader's first
# instruction, the ld.so stage), reach their entry point (the kernel's
# AT_ENTRY, as gdb shows it) and run to their exit status; a PIE built here stops at a
# breakpoint on a symbol set before the program runs (moved by the bias)
# and one set afterwards, at the address gdb gives for that symbol.
# usage: pie.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

# gdb_at_entry PROG: AT_ENTRY as gdb reads it at the first instruction.
gdb_at_entry() {
	gdb_batch "$1" -ex starti -ex 'info auxv' | awk '$2 == "AT_ENTRY" { print $NF; exit }'
}
# gdb_first PROG: the pc gdb's starti stops at.
gdb_first() {
	gdb_batch "$1" -ex starti -ex 'p/x $pc' | sed -n 's/^\$1 = //p'
}

for prog in /bin/true /bin/false; do
	readelf -h "$prog" | grep -q 'Type:.*DYN' || { fail "$prog is not a PIE"; continue; }
	readelf -l "$prog" | grep 'INTERP' >/dev/null || fail "$prog has no interpreter"
	want_rc=0
	"$prog" || want_rc=$?
	entry=$(gdb_at_entry "$prog")
	[ -n "$entry" ] || fail "$prog: gdb showed no AT_ENTRY"
	first=$(gdb_first "$prog")
	[ -n "$first" ] || fail "$prog: gdb's starti showed no pc"

	bs 30 --batch --json -ex starti -ex "until *$entry" -ex 'p/x $pc' "$prog"
	expect_rc 0 "$prog: until AT_ENTRY"
	has "$TMP/out" "\"$entry\"" "$prog: until AT_ENTRY"
	bs 30 --batch --json -ex starti -ex run "$prog"
	no_crash "$prog"
	expect_rc 0 "$prog"
	check_jsonl "$TMP/out" "$prog"
	[ "$(json_get "$TMP/out" stop reason)" = entry ] || fail "$prog: first stop is not the entry: $(head -1 "$TMP/out")"
	pc=$(json_get "$TMP/out" stop pc)
	[ "$pc" = "$first" ] || fail "$prog: first stop at $pc, gdb's starti at $first"
	[ "$(json_get "$TMP/out" stop stage)" = ld.so ] ||
		fail "$prog: the first stop is not the ld.so stage: $(head -1 "$TMP/out")"
	code=$(json_get "$TMP/out" exited code) || fail "$prog: no exited event: $(cat "$TMP/out")"
	[ "$code" = "$want_rc" ] || fail "$prog: exited with $code, run directly it exits $want_rc"
done

# A PIE with symbols, built here.
cat >"$TMP/pie.c" <<'EOC'
#include <stdio.h>
__attribute__((noinline)) int pie_marker(int x) { return x * 3; }
int main(int argc, char **argv)
{
	(void)argv;
	printf("pie: %d\n", pie_marker(argc));
	return 5;
}
EOC
cc -O1 -g -fPIE -pie -o "$TMP/pie" "$TMP/pie.c"
readelf -h "$TMP/pie" | grep -q 'Type:.*DYN' || fail "the test PIE is not ET_DYN"
link=$(nm "$TMP/pie" | awk '$3 == "pie_marker" { print "0x" $1 }')
run=$(gdb_batch "$TMP/pie" -ex starti -ex 'p/x &pie_marker' | sed -n 's/^\$1 = //p')
entry=$(gdb_at_entry "$TMP/pie")
[ -n "$run" ] && [ "$run" != "$(printf '0x%x' "$link")" ] ||
	fail "gdb gives pie_marker at '$run', nm at $link: no bias to test"

# set before the program runs (link-time address), moved at start
bs 30 --batch --json -ex 'break pie_marker' -ex run -ex continue "$TMP/pie"
no_crash "pie: break before run"
expect_rc 0 "pie: break before run"
check_jsonl "$TMP/out" "pie: break before run"
python3 - "$TMP/out" "$run" <<'PY' || fail "pie: break before run: $(cat "$TMP/out")"
import sys
from events import load, named, output
ev = load(sys.argv[1])
stops = named(ev, "stop")
assert stops and stops[0]["reason"] == "breakpoint", stops
assert stops[0]["pc"] == sys.argv[2], (stops[0]["pc"], sys.argv[2])
assert stops[0]["symbol"] == "pie_marker", stops[0]["symbol"]
out = output(ev)
assert out == "pie: 3\n", out
assert [e["code"] for e in named(ev, "exited")] == [5]
PY

# set at the entry stop, by symbol and by address
bs 30 --batch --json -ex starti -ex 'break pie_marker' -ex continue -ex 'p/x $pc' "$TMP/pie"
expect_rc 0 "pie: break after start"
pc=$(json_get "$TMP/out" stop pc)
[ "$pc" = "$(gdb_first "$TMP/pie")" ] || fail "pie: first stop at $pc, not where gdb's starti stops"
[ "$(json_get "$TMP/out" break addr)" = "$run" ] || fail "pie: break after start not at $run: $(cat "$TMP/out")"
bs 30 --batch -ex starti -ex "break *$run" -ex continue -ex 'p/x $pc' "$TMP/pie"
expect_rc 0 "pie: break *ADDR"
has "$TMP/out" "= $run" "pie: break *ADDR"

finish
