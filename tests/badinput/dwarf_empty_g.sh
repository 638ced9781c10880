#!/usr/bin/env bash
# Damaged DWARF that leaves the runtime view nothing to read of a g
# (corrupt_dwarf.py --empty-g: struct g keeps only stack, struct stack only
# lo, and lo's type has no size, so the one field of g found is 0 bytes at
# offset 0). The snapshot's batched read once walked past its list of
# ranges for such a g: valgrind's "Invalid read of size 8" in fetch_merged,
# UBSan's offset from an uninitialised pointer. info gmp, at a stop and
# after a step (a decode that starts from the last one's reads), must end
# with status 0, print the G, M and P tables with the g fields empty, write
# nothing to stderr, and under valgrind (when installed, and the build is
# not ASan) make no memory error.
# usage: dwarf_empty_g.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
hello_plain_dwarf "$TMP/hello"
cp "$TMP/hello" "$TMP/bad"
python3 "$LIBDIR/corrupt_dwarf.py" "$TMP/hello" "$TMP/bad" --empty-g >/dev/null ||
	{ echo "FAIL: corrupt_dwarf.py --empty-g" >&2; exit 1; }

# The damage is what the debugger reads: g has no m, stack no hi, and lo
# is of no type.
bs 60 --batch -ex 'break runtime.main' -ex run -ex 'print $g->m' \
	-ex 'print $g->stack.hi' -ex 'print $g->stack.lo' "$TMP/bad"
no_crash "the damage"
expect_rc 1 "the damage"
has "$TMP/err" "-ex 3: no field 'm' in g" "the damage: g keeps only stack"
has "$TMP/err" "-ex 4: no field 'hi' in stack" "the damage: stack keeps only lo"
has "$TMP/out" '= <unknown type>' "the damage: stack.lo has no type"

cmds=(-ex 'break runtime.main' -ex run -ex 'info gmp' -ex stepi -ex 'info gmp')

# gmp WHAT: the session's status, stderr and tables.
gmp() {
	no_crash "$1"
	expect_rc 0 "$1"
	[ ! -s "$TMP/err" ] || fail "$1: stderr: $(head -c 600 "$TMP/err")"
	[ "$(grep -c '^G  label' "$TMP/out")" -eq 2 ] || fail "$1: not two G tables: $(head -c 600 "$TMP/out")"
	has "$TMP/out" "stack [0x0, 0x0)" "$1: the g fields empty"
	has "$TMP/out" "_Prunning  m0" "$1: the P table"
	has "$TMP/out" "sched: goidgen " "$1: the sched line"
}

bs 60 --batch "${cmds[@]}" "$TMP/bad"
gmp "info gmp"

if valgrind_usable "$BOOTSCOPE"; then
	RC=0
	timeout -k 2 300 valgrind -q --error-exitcode=99 "$BOOTSCOPE" --batch "${cmds[@]}" \
		"$TMP/bad" >"$TMP/out" 2>"$TMP/err" </dev/null || RC=$?
	if grep -q '^==[0-9]*== ' "$TMP/err"; then
		fail "valgrind: $(grep '^==[0-9]*== ' "$TMP/err" | head -20)"
		: >"$TMP/err"
	fi
	gmp "info gmp under valgrind"
else
	echo "valgrind part skipped: $NO_VALGRIND"
fi

finish
