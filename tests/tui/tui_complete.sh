#!/usr/bin/env bash
# Tab on the `:` line: a unique command name, info view, stage name or
# symbol is completed with a blank after it; several candidates complete
# as far as they agree, and a second Tab lists them in the Command pane.
# The symbols listed are nm's (a location: the functions; an expression:
# every symbol); after a '$' the registers.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace
command -v nm >/dev/null || { echo "nm is not installed"; exit 77; }

# nm's names with PREFIX, of the types in TYPES (e.g. tT), without .abi0,
# each once, sorted.
nm_names() {
	nm "$HELLO" | awk -v t="$2" -v p="$1" 'index($3, p) == 1 && index(t, $2) {print $3}' |
		sed -E 's/\.abi0$//' | LC_ALL=C sort -u
}
# The names listed after "N completions of 'WORD':" (the last listing).
# above the status line and the key legend.
listed() {
	screen >/dev/null
	awk -v w="$1" 'index($0, "completions of '\''" w "'\'':") {n = NR} {l[NR] = $0}
		END {for (i = n + 1; i <= NR - 2; i++) print l[i]}' "$TMP/screen" |
		grep -oE "(^|[ x])$2[^ ]*" | sed -E 's/^[ x]//' | LC_ALL=C sort -u
}

tui_start 200 60 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'

# A command name, then a function: completed, a blank after each
keys ':br' Tab
keys X
expect_line ':break X'
keys BSpace 'runtime.schedi' Tab
keys X
expect_line ':break runtime.schedinit X'
keys BSpace BSpace Enter
addr=$(nm "$HELLO" | awk '$3 == "runtime.schedinit" {print $1}' | sed 's/^0*//')
wait_for "Breakpoint 1 at 0x$addr: runtime.schedinit"

# Several functions: the first Tab adds nothing, the second lists them
want=$(nm_names runtime.sched tT)
(($(wc -l <<<"$want") >= 2)) || fail "nm finds fewer than two functions runtime.sched*"
keys ':break runtime.sched' Tab
expect_line ':break runtime.sched'
keys Tab
wait_for "$(wc -l <<<"$want") completions of 'runtime.sched':"
got=$(listed runtime.sched 'runtime\.sched')
[[ $got == "$want" ]] || fail "listed for break: $(echo $got), nm's functions: $(echo $want)"
# an expression may be any symbol: the variable runtime.sched too
want=$(nm_names runtime.sched tTdDbBrR)
grep -qx runtime.sched <<<"$want" || fail "nm has no symbol runtime.sched"
keys C-u 'print sizeof(runtime.sched' Tab Tab
wait_for "$(wc -l <<<"$want") completions of 'runtime.sched':"
got=$(listed runtime.sched 'runtime\.sched')
[[ $got == "$want" ]] || fail "listed for print: $(echo $got), nm's symbols: $(echo $want)"

# A common prefix of command names, then the list
keys C-u 'rev' Tab
expect_line ':reverse-'
keys Tab
wait_for "3 completions of 'reverse-':"
got=$(listed reverse- 'reverse-')
[[ $got == $'reverse-continue\nreverse-nexti\nreverse-stepi' ]] ||
	fail "listed for reverse-: $(echo $got)"

# An info view; a stage by its short name, run to
keys C-u 'info reg' Tab
keys 'rip'
expect_line ':info registers rip'
keys C-u 'stage wi' Tab
expect_line ':stage wire'
keys Enter
wait_for '\| stage rt0_go\.wire \|'

# In an expression: a register after '$', a stage name as a label
keys ':print $fs_b' Tab
keys '== rt0_go.wi' Tab
expect_line ':print $fs_base == rt0_go.wire'
keys C-u 'x/2gx $rs' Tab Tab
wait_for "2 completions of 'rs':"
got=$(listed rs 'rs[a-z]')
[[ $got == $'rsi\nrsp' ]] || fail "listed for \$rs: $(echo $got)"
keys Escape

# Nothing to complete: the line stays as typed
keys ':stepi 1' Tab Tab
expect_line ':stepi 1'
keys C-u 'print zzq_none' Tab Tab
expect_line ':print zzq_none'
keys Escape
wait_for '^ [a-z]+ \| pid [0-9]+ \| steps '

tui_quit
