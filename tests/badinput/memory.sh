#!/usr/bin/env bash
# x and print of unmapped memory, and breakpoints outside any code: an
# error for that command naming the address. In batch mode the script
# ends (exit 1), and the next -ex command still runs, as in gdb; in the
# line mode (commands on stdin) the session goes on, and exits 1.
# A refused breakpoint leaves the program intact (it still runs to its
# normal end). Witnesses: gdb's view of the mappings, nm for symbols.
# usage: memory.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

# The end of the initial stack mapping, from gdb (ASLR is off in both).
stack_end=$(gdb_batch "$HELLO" -ex starti -ex 'info proc mappings' |
	awk '/\[stack\]/ { print $2; exit }')
[ -n "$stack_end" ] || fail "gdb did not show the [stack] mapping"
g0=$(nm "$HELLO" | awk '$3 == "runtime.g0" { print "0x" $1 }')
g0_kind=$(nm "$HELLO" | awk '$3 == "runtime.g0" { print $2 }')
[ "$g0_kind" = B ] || fail "runtime.g0 is not in .bss per nm ($g0_kind)"
g0=$(printf '0x%x' "$g0")

# batch: one error naming the first unreadable address, exit 1
# name|command|address named
cases=(
	"x at page zero|x/2gx 0x10|0x10"
	"x/i at page zero|x/4i 0x10|0x10"
	"x/s at page zero|x/s 0x10|0x10"
	"print through a null pointer|print *0x10|0x10"
	"print of a non-canonical address|print *0x800000000000|0x800000000000"
	"x across the end of the stack|x/4gx $stack_end - 16|$stack_end"
)
for c in "${cases[@]}"; do
	IFS='|' read -r name cmd addr <<<"$c"
	bs 30 --batch -ex starti -ex "$cmd" -ex 'echo after\n'
	no_crash "$name"
	expect_rc 1 "$name"
	has "$TMP/err" "-ex 2: cannot read memory at $addr" "$name"
	has "$TMP/out" "after" "$name: the next -ex did not run"
	bs 30 --batch --json -ex starti -ex "$cmd"
	expect_rc 1 "$name (json)"
	check_jsonl "$TMP/out" "$name (json)"
	msg=$(json_get "$TMP/out" error message) || fail "$name (json): no error event"
	case $msg in *"cannot read memory at $addr"*) ;; *) fail "$name (json): '$msg'" ;; esac
done

# Breakpoints outside code are refused (an int3 there would corrupt data).
for c in "data (runtime.g0, .bss)|*$g0|$g0" "page zero|*0x10|0x10" \
	"the stack|*\$rsp|" "unmapped|*0x800000000000|0x800000000000"; do
	IFS='|' read -r name loc addr <<<"$c"
	bs 30 --batch -ex starti -ex "break $loc"
	no_crash "break in $name"
	expect_rc 1 "break in $name"
	has "$TMP/err" "cannot set a breakpoint at $addr" "break in $name"
	has "$TMP/err" "not in executable code" "break in $name"
done
# before the program runs too (checked against the file's segments)
bs 30 --batch -ex "break *$g0"
expect_rc 1 "break in data before start"
has "$TMP/err" "-ex 1: cannot set a breakpoint at $g0: not in executable code" "break in data before start"

# Line mode: every error is reported and the session goes on; the program
# then runs to its normal end, untouched by the refused breakpoints.
direct_rc=0
direct_out=$(env -u _ "$HELLO") || direct_rc=$?
cat >"$TMP/lines" <<EOT
x/2gx 0x10
print *0x10
break *$g0
break *0x10
starti
break *\$rsp
x/4gx $stack_end - 16
print 1 + 2
info breakpoints
run
EOT
RC=0
timeout -k 2 60 "$BOOTSCOPE" "$HELLO" <"$TMP/lines" >"$TMP/out" 2>"$TMP/err" || RC=$?
no_crash "line mode"
expect_rc 1 "line mode"
[ "$(grep -c 'cannot read memory at 0x10' "$TMP/err")" -eq 2 ] || fail "line mode: want 2 read errors at 0x10: $(cat "$TMP/err")"
[ "$(grep -c 'cannot set a breakpoint' "$TMP/err")" -eq 3 ] || fail "line mode: want 3 refused breakpoints: $(cat "$TMP/err")"
has "$TMP/err" "cannot read memory at $stack_end" "line mode"
has "$TMP/out" '$1 = 3' "line mode: print after the errors"
has "$TMP/out" "No breakpoints" "line mode: a refused breakpoint was kept"
has "$TMP/out" "exited with code $direct_rc" "line mode: the program's end"
last=$(printf '%s\n' "$direct_out" | tail -1)
has "$TMP/out" "[stdout] $last" "line mode: the program's output"

finish
