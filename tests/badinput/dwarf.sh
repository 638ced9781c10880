#!/usr/bin/env bash
# Damaged DWARF: copies of the bundled hello with .debug_info changed
# (corrupt_dwarf.py, deterministic): 100 bytes at random places and in one
# run for several seeds, and single bytes of the layouts the runtime view
# reads (the byte size of struct g, m, p, schedt, and their members'
# offsets and types) set to 0xff and 0x00. The runtime view (info gmp,
# info g), print of $g and its structs, and info threads must end with
# status 0 or 1 and only clear one-line errors: never a crash (134, 139),
# a hang, or a read out of bounds. Under valgrind (when installed) the
# worst cases must be clean.
# usage: dwarf.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
hello_plain_dwarf "$TMP/hello"
helper=(python3 "$LIBDIR/corrupt_dwarf.py")

cmds=(-ex 'break schedinit' -ex run -ex 'info gmp' -ex 'info g' -ex 'print *$g'
      -ex 'print $g->sched' -ex 'print $g->m' -ex 'info threads' -ex 'break runtime.newproc'
      -ex continue -ex 'info gmp' -ex 'info g')

# check NAME: run the commands on $TMP/bad; status 0/1, every stderr line
# a located one-line error.
check() {
	local name=$1
	bs 60 --batch "${cmds[@]}" "$TMP/bad"
	no_crash "$name"
	[ "$RC" -le 1 ] || fail "$name: exit status $RC"
	if grep -vE '^(-ex [0-9]+: |bootscope: )[a-z]' "$TMP/err" | grep -q .; then
		fail "$name: an unclear error line: $(grep -vE '^(-ex [0-9]+: |bootscope: )' "$TMP/err" | head -3)"
	fi
}

# The view works on the intact copy.
cp "$TMP/hello" "$TMP/bad"
check "intact"
expect_rc 0 "intact"
has "$TMP/out" "G  label" "intact: info gmp"

n=0
for seed in 0 1 2 3; do
	"${helper[@]}" "$TMP/hello" "$TMP/bad" "$seed" >/dev/null || fail "seed $seed: the helper failed"
	check "100 bytes, seed $seed"
	n=$((n + 1))
done

"${helper[@]}" "$TMP/hello" --targets >"$TMP/targets" || fail "no layout targets"
[ "$(grep -c '' "$TMP/targets")" -gt 40 ] || fail "too few layout targets: $(cat "$TMP/targets")"
for s in g m p schedt; do
	grep -q "^$s.byte_size " "$TMP/targets" || fail "no byte size of struct $s found"
done
# every byte size, and every tenth member attribute
awk '$1 ~ /byte_size/ || NR % 10 == 0' "$TMP/targets" >"$TMP/picked"
while read -r what off; do
	for val in 0xff 0x00; do
		"${helper[@]}" "$TMP/hello" "$TMP/bad" --set "$off=$val" >/dev/null || fail "$what: the helper failed"
		check "$what at $off = $val"
		n=$((n + 1))
	done
done <"$TMP/picked"
echo "$n damaged copies run"

# valgrind on the issue's kind of damage (100 bytes) and on the cases that
# damage the layouts most: the sizes of g and p.
vg_case() {
	RC=0
	timeout -k 2 300 valgrind -q --error-exitcode=99 "$BOOTSCOPE" --batch "${cmds[@]}" \
		"$TMP/bad" >"$TMP/out" 2>"$TMP/err" </dev/null || RC=$?
	[ "$RC" -le 1 ] || fail "valgrind, $1: status $RC: $(grep '==' "$TMP/err" | head -20)"
}
if command -v valgrind >/dev/null && ! nm -D "$BOOTSCOPE" 2>/dev/null | grep -q __asan_init; then
	"${helper[@]}" "$TMP/hello" "$TMP/bad" 0 >/dev/null
	vg_case "100 bytes, seed 0"
	grep -E '^(g|p)\.byte_size' "$TMP/targets" >"$TMP/sizes"
	while read -r what off; do
		"${helper[@]}" "$TMP/hello" "$TMP/bad" --set "$off=0xff" >/dev/null
		vg_case "$what = 0xff"
	done <"$TMP/sizes"
fi

finish
