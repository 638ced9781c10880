#!/usr/bin/env bash
# The Stack pane ends at the stack's hi: at runtime.schedinit (a few
# slots below g0's stack hi) its rows are the slots from rsp up to hi, the
# last one at hi-8, none above hi, and the pane is no taller than that
# (its rows went to the code pane above it). gdb, at the same instruction,
# counts the slots from rsp to runtime.g0.stack.hi.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace
command -v gdb >/dev/null || { echo "gdb is not installed"; exit 77; }

tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys : 'break runtime.schedinit' Enter
wait_for 'Breakpoint 1 at'
keys : 'continue' Enter
wait_for '\| stage runtime\.schedinit' 30
keys s s s
wait_for '\| steps [0-9]+ \| stage runtime\.schedinit \| runtime\.schedinit\+0x5'
wait_for ' Stack  rsp 0x[0-9a-f]+ +in g0 stack, hi 0x[0-9a-f]+'
screen >/dev/null
hi=$(grep -oE ' Stack  rsp 0x[0-9a-f]+ +in g0 stack, hi 0x[0-9a-f]+' "$TMP/screen" | awk '{print $NF}')
# the witness: gdb at the same instruction counts the bytes from rsp to
# runtime.g0.stack.hi (its environment shifts the stack, not the count)
sched=$(nm "$HELLO" | awk '$3 == "runtime.schedinit" {print "0x" $1}')
span=$(env -i TERM=screen gdb -nx -batch -ex 'set startup-with-shell off' \
	-ex 'unset environment LINES' -ex 'unset environment COLUMNS' -ex "break *$sched" -ex run \
	-ex stepi -ex stepi -ex stepi -ex "printf \"span %d\\n\", (long)'runtime.g0'.stack.hi - (long)\$rsp" \
	"$HELLO" 2>&1 | sed -nE 's/^span ([0-9]+)$/\1/p')
[[ -n $span ]] || fail "gdb did not give the span from rsp to g0.stack.hi"
# slot rows: "> 0x7ff...  0x...": every address below hi, the last at hi-8
mapfile -t slots < <(sed -nE 's/^[> ] (0x7fff[0-9a-f]+)  0x[0-9a-f]{16}.*/\1/p' "$TMP/screen")
((${#slots[@]} > 0)) || fail "no stack slots"
for a in "${slots[@]}"; do
	(($a < hi)) || fail "slot $a is at or above the stack's hi $hi"
done
((${#slots[@]} * 8 == span)) || fail "${#slots[@]} slots shown, gdb counts $((span / 8)) up to hi"
last=${slots[-1]}
(($last + 8 == hi)) || fail "the last slot $last is not at hi-8 ($hi)"
# the pane's next row is the next pane's title, not a blank row
row=$(grep -nE "^[> ] $last  " "$TMP/screen" | cut -d: -f1)
sed -n "$((row + 1))p" "$TMP/screen" | grep -Eq '^ (Changes|Syscalls|Stages|Frames) ' ||
	fail "the Stack pane keeps rows past hi: '$(sed -n "$((row + 1))p" "$TMP/screen")'"
tui_quit
echo "ok: the Stack pane ends at hi $hi (${#slots[@]} slots)"
