#!/usr/bin/env bash
# System calls in the TUI over the bundled hello. Stepping through
# runtime.settls: before the pc reaches it, the `syscall` line names
# arch_prctl (from the `mov $158, %rax` before it); at the pc it shows the
# call decoded from the registers, ARCH_SET_FS and the address gdb reads
# as $fs_base once the call returned (the witness); the step that runs it
# names it and its result on the status line and in the command pane, the
# Syscalls pane lists it with its caller runtime.settls, and the timeline
# bar marks its step with a '*'; at 80x24 the Syscalls tab lists it.
# Then `:catch syscall arch_prctl` and c from the entry stop at the call
# (decoded on the Code pane's pc line) and at its return.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace
command -v gdb >/dev/null || { echo "gdb is not installed"; exit 77; }
command -v objdump >/dev/null || { echo "objdump is not installed"; exit 77; }

# The witnesses: where settls's syscall is (objdump), and fs_base after it
# returned (gdb, stopped on the instruction after it).
sc=$(objdump -d --no-show-raw-insn "$HELLO" |
	awk '/<runtime.settls>:/ {f = 1} f && !done && /\tsyscall/ {sub(":", "", $1); print $1; done = 1}')
[[ -n $sc ]] || fail "no syscall in runtime.settls (objdump)"
sc=$(printf '%#x' "0x$sc")
gdb_ptrace_probe gdb -nx -batch -ex run "$HELLO"
fsb=$(env -i TERM=screen gdb -nx -batch -ex 'set startup-with-shell off' \
	-ex 'unset environment LINES' -ex 'unset environment COLUMNS' \
	-ex "break *$((sc + 2))" -ex run -ex 'p/x $fs_base' "$HELLO" 2>&1 |
	sed -nE 's/^\$1 = (0x[0-9a-f]+)$/\1/p')
[[ -n $fsb ]] || fail "gdb printed no \$fs_base after settls's syscall"

printf 'break runtime.settls\nrun\n' >"$TMP/script.gdb"
tui_start 120 40 -x "$TMP/script.gdb" "$HELLO"
wait_for '\| stage runtime.settls \|'
start=$(status_steps)
keys s s s s s
wait_for "\\| steps $((start + 5)) \\|"
# not at the pc: the name the code before it gives
wait_for "^ +$sc <\\+[0-9]+> +syscall +; arch_prctl( |\$)"
keys s s
wait_for "\\| steps $((start + 7)) \\|"
wait_for "^ > $sc <\\+[0-9]+> +syscall +; arch_prctl\\(ARCH_SET_FS, $fsb"
grep -Eq '\| syscall \| pid ' "$TMP/screen" && fail "a step shows as a catchpoint stop"

# The step that runs it.
keys s
wait_for "\\| steps $((start + 8)) \\|"
wait_for 'syscall arch_prctl = 0 *$'
grep -Fq "syscall: arch_prctl(ARCH_SET_FS, $fsb" "$TMP/screen" ||
	fail "the command pane does not show the call"
# the Syscalls pane (two rows an entry at this width): its step, thread,
# M and g, the caller; the call and its result below
row=$(grep -nE '^@[0-9]+ +[0-9]+ +[^ ]+ +[^ ]+ +runtime\.settls( |$)' "$TMP/screen" | tail -n 1)
[[ -n $row ]] || fail "the Syscalls pane has no entry made by runtime.settls"
at=$(sed -nE 's/^[0-9]+:@([0-9]+) .*/\1/p' <<<"$row")
call=$(sed -n "$((${row%%:*} + 1))p" "$TMP/screen")
grep -Eq "^  arch_prctl\\(ARCH_SET_FS, $fsb.*\\) = 0( |\$)" <<<"$call" ||
	fail "no 'arch_prctl(ARCH_SET_FS, $fsb ...) = 0' under the Syscalls entry: $call"
grep -Fq "$fsb <&runtime.m0.tls[0]+8>" <<<"$call" || fail "$fsb is not named as m0's tls: $call"
((at == start + 7)) || fail "the call is logged at step $at, it ran at step $((start + 7))"
grep -Eq '^ Syscalls +1 call( |$)' "$TMP/screen" || fail "the Syscalls title does not count one call"

# The bar: a '*' in the column of the call's step.
bar=$(grep -E '^ steps 0 ' "$TMP/screen" | head -n 1)
last=$(sed -nE 's/.* ([0-9]+) record-continue on *$/\1/p' <<<"$bar")
[[ -n $last ]] || fail "no timeline bar: $bar"
lead=" steps 0 "
tail=" $last record-continue on "
tw=$((120 - ${#lead} - ${#tail}))
col=$(( ${#lead} + at * (tw - 1) / last ))
[[ ${bar:$col:1} == '*' ]] || fail "no '*' at column $col of the bar for step $at: '$bar'"

# 80x24: the Syscalls tab (Tab moves the focus from the code pane along
# the panes to it) lists the call and its caller.
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
wait_for '^ Code +Registers .* (Syscalls|Sys) +(Changes|Chg) *$'
for _ in $(seq 10); do keys Tab; done
wait_for '^>Syscalls +1 call'
wait_for '^@[0-9]+ +[0-9]+ +[^ ]+ +[^ ]+ +runtime\.settls( |$)'
wait_for "^  arch_prctl\\(ARCH_SET_FS, $fsb <&runtime.m0.tls\\[0\\]\\+8>\\) = 0 *$"
tui_quit

# A catchpoint from the command line, from the entry: c stops at the call
# (single-stepped: at the instruction, before it runs), c again at its
# return, with fs_base set.
rm -f "$TMP/rc" "$TMP/stty.after"
SESSION=catch
tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys ':catch syscall arch_prctl' Enter
wait_for "[Cc]atchpoint 1 .*arch_prctl"
keys c
wait_for '^ syscall \| pid [0-9]+ \| steps [0-9]+ \| stage runtime.settls \|' 30
wait_for 'catchpoint 1: call to arch_prctl *$'
grep -Eq "^ > $sc <\\+[0-9]+> +syscall +; arch_prctl\\(ARCH_SET_FS, $fsb" "$TMP/screen" ||
	fail "at the catchpoint the Code pane does not decode the call"
grep -Eq 'fs_base +0x0 +not set yet' "$TMP/screen" || fail "fs_base is set before the call ran"
keys c
wait_for 'catchpoint 1: arch_prctl returned 0 *$' 30
grep -Eq "fs_base +$fsb += &m0.tls\\[0\\] \\+ 8" "$TMP/screen" ||
	fail "after the return the TLS pane does not show fs_base $fsb"
tui_quit

echo "ok: arch_prctl(ARCH_SET_FS, $fsb) decoded at $sc, logged, marked, caught"
