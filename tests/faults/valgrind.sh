#!/usr/bin/env bash
# valgrind memcheck over batch sessions that cover the whole boot: a stop
# at every stage with every view (registers, tls, gmp, stack, disassembly,
# $g), then stepping, nexti, finish, until, the tables, a restart. No
# memory error and no definite or indirect leak.
# usage: valgrind.sh BOOTSCOPE HELLO
. "$(dirname "$0")/../badinput/lib.sh"
need_valgrind "$BOOTSCOPE"
skip_without_ptrace

vg=(valgrind --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect -q)

# every stage of the catalog, in boot order
bs 20 --list-stages --json "$HELLO"
python3 -c '
import sys
from events import load
for e in load(sys.argv[1]):
    for s in e.get("stages", []):
        print(s["name"])' "$TMP/out" >"$TMP/stages"
nstages=$(lines "$TMP/stages")
[ "$nstages" -gt 10 ] || fail "only $nstages stages in the catalog"

{
	while read -r s; do echo "tbreak $s"; done <"$TMP/stages"
	echo run
	for _ in $(seq "$nstages"); do
		printf '%s\n' 'info registers' 'info tls' 'info gmp' 'info stack 8' \
			'x/4i $pc' 'print $g' 'info stages' continue
	done
} >"$TMP/full.bs"
# line mode: the commands after the end fail and the session goes on
# (exit status 1 when one did; valgrind's errors exit 99)
RC=0
timeout -k 2 300 "${vg[@]}" "$BOOTSCOPE" "$HELLO" <"$TMP/full.bs" \
	>"$TMP/out" 2>"$TMP/err" || RC=$?
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "every stage: valgrind status $RC: $(grep -v 'not being run' "$TMP/err" | head -40)"
stops=$(grep -c '^Breakpoint [0-9]*, ' "$TMP/out" || true)
[ "$stops" -eq "$nstages" ] || fail "every stage: $stops stops for $nstages stages"
has "$TMP/out" "Program exited with code 0" "every stage"

RC=0
timeout -k 2 300 "${vg[@]}" "$BOOTSCOPE" --batch --json -ex 'break schedinit' -ex run \
	-ex 'nexti 20' -ex 'stepi 500' -ex finish -ex 'until main.main' -ex 'info gmp' \
	-ex 'info threads' -ex 'info sections' -ex 'info auxv' -ex 'info g 1' \
	-ex 'info tls' -ex 'tbreak runtime.exit' -ex 'info breakpoints' -ex continue \
	-ex 'x/8a $sp' -ex kill -ex starti -ex delete -ex continue "$HELLO" \
	>"$TMP/out" 2>"$TMP/err" </dev/null || RC=$?
[ "$RC" -eq 0 ] || fail "stepping: valgrind status $RC: $(head -40 "$TMP/err")"
check_jsonl "$TMP/out" "stepping"
[ "$(grep -c '"event":"exited","code":0' "$TMP/out")" -eq 1 ] || fail "stepping: the program did not end normally"

finish
