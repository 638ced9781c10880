#!/usr/bin/env bash
# The Changes pane and w ("why did this change?") over the bundled hello.
# The witness: a batch run in the TUI's environment with `watch -l` on
# p0.runnext (runtime.allp[0].runnext) stops after each write of it:
# newproc's runqput (0 -> goroutine 1's g) and runqget's clear (g -> 0),
# each with its exact step; `info g 1` names goroutine 1's g; a `watch` on
# m0.tls[0] (fs:-8 on m0's thread) from the start gives its last write before
# newproc.
# In the TUI (200x60: every pane shown):
#  - `:goto CLEAR`: the Changes pane shows `p0.runnext: g1 -> 0
#    (runtime.runqget)` at that step, and the instruction gdb's watch named;
#  - w with the focus on that line goes back to the runqput step: the status
#    line says HISTORY step PUT, the pane `p0.runnext: 0 -> g1
#    (runtime.runqput)`, the why line, the xchg with its source register;
#  - S moves the view one step back and the pane follows it (no runnext);
#  - w on the fs:-8 row of the TLS / g pane goes to the last write of fs:-8;
#  - w on p0's runnext in the G/M/P tables, one step before the clear, goes
#    to the runqput step, and w again finds no write before it;
#  - w on a register in the Registers pane at step REG_AT goes to the step
#    that last changed it, and the pane shows that step's instruction; the
#    witness: a batch run stepping one instruction at a time from the
#    entry, the registers read after each;
#  - w on m0's curg in the G/M/P tables at main.main goes to execute's
#    write of goroutine 1 (the witness: `watch -l runtime.m0.curg`);
#  - w on a slot selected in the Stack pane (not its top one when that
#    never changed) goes to the last step that changed it; the witness:
#    the same stepping, the slots read after each step.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

# The witness, in the TUI's environment (env -i TERM=screen).
env -i TERM=screen "$BOOTSCOPE" --batch --json -ex 'break runtime.newproc' -ex run \
	-ex 'watch -l runtime.allp[0].runnext' -ex continue -ex continue \
	-ex 'delete' -ex 'info g 1' "$HELLO" >"$TMP/w.jsonl" 2>"$TMP/w.err" ||
	fail "the batch witness failed: $(cat "$TMP/w.err")"
env -i TERM=screen "$BOOTSCOPE" --batch --json -ex 'watch -l runtime.m0.tls[0]' \
	-ex 'break runtime.newproc' -ex run -ex continue -ex continue -ex continue \
	"$HELLO" >"$TMP/t.jsonl" 2>"$TMP/t.err" ||
	fail "the batch witness of fs:-8 failed: $(cat "$TMP/t.err")"
read -r PUT CLEAR PUT_PC CLEAR_PC TLS_LAST < <(python3 - "$TMP/w.jsonl" "$TMP/t.jsonl" <<'PY'
import sys
from events import hexint, load, named
ev = load(sys.argv[1])
hits = [s for s in named(ev, "stop") if s["reason"] == "watchpoint"]
g1 = hexint(named(ev, "g")[0]["addr"])
if len(hits) != 2:
    sys.exit("expected two writes of p0.runnext, got %d" % len(hits))
put, clear = hits
if not (put["old"] == 0 and put["new"] == g1 and clear["old"] == g1 and clear["new"] == 0):
    sys.exit("runnext: %s -> %s, then %s -> %s; goroutine 1 is %#x"
             % (put["old"], put["new"], clear["old"], clear["new"], g1))
if not (put["steps_exact"] and clear["steps_exact"]):
    sys.exit("inexact step counts")
# fs:-8: the watch stops before newproc's breakpoint, the last one first
stops = named(load(sys.argv[2]), "stop")
tls = [s["steps"] for s in stops if s["reason"] == "watchpoint"]
at_newproc = [i for i, s in enumerate(stops) if s["reason"] == "breakpoint"]
if not tls or not at_newproc:
    sys.exit("no write of fs:-8 or no stop at newproc: %s" % [s["reason"] for s in stops])
before = [s["steps"] for s in stops[:at_newproc[0]] if s["reason"] == "watchpoint"]
print(put["steps"], clear["steps"], put["access_pc"], clear["access_pc"], before[-1])
PY
) || fail "the witness: see above"
[[ -n $TLS_LAST ]] || fail "no witness"

# The registers' witness: the general registers after each of the first
# REG_AT steps; of those no cpuid writes, the register whose last change is
# the oldest (the longest way back), its index in the pane, that step, the
# values around it, the instruction's pc.
REG_AT=80
args=()
for _ in $(seq "$REG_AT"); do
	args+=(-ex stepi -ex 'info registers rax rbx rcx rdx rsi rdi rbp rsp r8 r9 r10 r11 r12 r13 r14 r15')
done
env -i TERM=screen "$BOOTSCOPE" --batch --json -ex starti "${args[@]}" "$HELLO" \
	>"$TMP/r.jsonl" 2>"$TMP/r.err" || fail "the registers' witness failed: $(cat "$TMP/r.err")"
read -r REG REG_IDX REG_STEP REG_OLD REG_NEW REG_PC < <(python3 - "$TMP/r.jsonl" "$REG_AT" <<'PY'
import sys
from events import load, named
ev = load(sys.argv[1])
at = int(sys.argv[2])
stops, regs = named(ev, "stop"), named(ev, "registers")
if len(stops) != at + 1 or len(regs) != at:
    sys.exit("expected %d steps, got %d stops and %d register reads" % (at, len(stops), len(regs)))
if [s["steps"] for s in stops] != list(range(at + 1)):
    sys.exit("the steps are not counted one by one")
seq = [stops[0]["regs"]] + [r["regs"] for r in regs]
names = "rax rbx rcx rdx rsi rdi rbp rsp r8 r9 r10 r11 r12 r13 r14 r15".split()
# cpuid's values differ between runs (the APIC id of the CPU it ran on):
# only registers no cpuid wrote
cpuid = {k for k in range(1, at + 1) if stops[k - 1]["insn"].startswith("cpuid")}
if not cpuid:
    sys.exit("no cpuid in the first %d steps" % at)
best = None
for i, n in enumerate(names):
    last = [k for k in range(1, at + 1) if seq[k][n] != seq[k - 1][n]]
    if cpuid & set(last) or n in ("rax", "rbx", "rcx", "rdx"):
        continue
    if last and (best is None or last[-1] < best[2]):
        best = (n, i, last[-1], int(seq[last[-1] - 1][n], 16), int(seq[last[-1]][n], 16))
if not best or best[2] >= at:
    sys.exit("no register changed before step %d" % at)
# the instruction of that step: where the step before it stopped
print(best[0], best[1], best[2], "%#x" % best[3], "%#x" % best[4], stops[best[2] - 1]["pc"])
PY
) || fail "the registers' witness: see above"
[[ -n $REG_STEP ]] || fail "no registers' witness"

# The stack's witness: rsp at step REG_AT, then its first 8 slots read
# after each step from the entry; the first slot (from rsp) that some step
# changed, its row, and the last step that changed it.
RSP=$(env -i TERM=screen "$BOOTSCOPE" --batch --json -ex starti -ex "stepi $REG_AT" \
	-ex 'info registers rsp' "$HELLO" 2>"$TMP/s.err" |
	python3 -c 'import json,sys
print([json.loads(l) for l in sys.stdin if "\"registers\"" in l][-1]["regs"]["rsp"])') ||
	fail "no rsp at step $REG_AT: $(cat "$TMP/s.err")"
args=()
for _ in $(seq "$REG_AT"); do args+=(-ex stepi -ex "x/8gx $RSP"); done
env -i TERM=screen "$BOOTSCOPE" --batch --json -ex starti -ex "x/8gx $RSP" "${args[@]}" \
	"$HELLO" >"$TMP/x.jsonl" 2>"$TMP/x.err" || fail "the stack's witness failed: $(cat "$TMP/x.err")"
read -r SLOT_ROW SLOT_ADDR SLOT_STEP < <(python3 - "$TMP/x.jsonl" "$REG_AT" <<'PY'
import sys
from events import load, named
ev = load(sys.argv[1])
at = int(sys.argv[2])
xs = named(ev, "x")
if len(xs) != at + 1:
    sys.exit("expected %d reads of the stack, got %d" % (at + 1, len(xs)))
vals = [[it["value"] for it in x["items"]] for x in xs]
for row in range(8):
    ch = [k for k in range(1, at + 1) if vals[k][row] != vals[k - 1][row]]
    if ch:
        print(row, xs[0]["items"][row]["addr"], ch[-1])
        break
else:
    sys.exit("no step changed the 8 slots from rsp")
PY
) || fail "the stack's witness: see above"
[[ -n $SLOT_STEP ]] || fail "no stack witness"

# m0.curg's witness: `watch -l` on it up to main.main's breakpoint; its
# last write before (execute: 0 -> goroutine 1's g) and main.main's step.
env -i TERM=screen "$BOOTSCOPE" --batch --json -ex 'watch -l runtime.m0.curg' \
	-ex 'break main.main' -ex run -ex continue -ex 'info g 1' "$HELLO" \
	>"$TMP/c.jsonl" 2>"$TMP/c.err" || fail "m0.curg's witness failed: $(cat "$TMP/c.err")"
read -r CURG_STEP MAIN < <(python3 - "$TMP/c.jsonl" <<'PY'
import sys
from events import hexint, load, named
ev = load(sys.argv[1])
stops = named(ev, "stop")
g1 = hexint(named(ev, "g")[0]["addr"])
main = [i for i, s in enumerate(stops) if s["reason"] == "breakpoint"]
if not main:
    sys.exit("no stop at main.main: %s" % [s["reason"] for s in stops])
w = [s for s in stops[:main[0]] if s["reason"] == "watchpoint"]
if not w or hexint(w[-1]["new"]) != g1 or not w[-1]["steps_exact"]:
    sys.exit("m0.curg's last write before main.main is not goroutine 1's g: %s" % w)
print(w[-1]["steps"], stops[main[0]]["steps"])
PY
) || fail "m0.curg's witness: see above"
[[ -n $MAIN ]] || fail "no m0.curg witness"

tui_start 200 60 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys : 'break main.main' Enter
keys : run Enter
wait_for '\| stage main\.main \|' 30
keys : "goto $CLEAR" Enter
wait_for "HISTORY step $CLEAR of "
wait_for "Changes +step $CLEAR"
wait_for '^.* p0\.runnext: g1 -> 0 \(runtime\.runqget\)'
grep -qF "$(printf '%#x' "$CLEAR_PC") <runtime.runqget+" "$TMP/screen" ||
	fail "the Changes pane does not name the instruction at $CLEAR_PC"

# focus TITLE: Tab until the pane titled TITLE has the focus (its title
# then starts with >), one pane at a time (each Tab drawn before the next).
focused() { screen | { grep -oE '(^|x)>[A-Z][^ ]*( [^ ]+)*' || true; } | head -n 1; }
focus() {
	local now end
	for _ in $(seq 20); do
		now=$(focused)
		[[ $now == *">$1" ]] && return 0
		keys Tab
		end=$((SECONDS + 5))
		while [[ $(focused) == "$now" ]] && ((SECONDS <= end)); do sleep 0.05; done
	done
	fail "Tab never focused the $1 pane"
}
focus Changes
keys w
wait_for "HISTORY step $PUT of "
wait_for "Changes +step $PUT"
wait_for '^.* p0\.runnext: 0 -> g1 \(runtime\.runqput\)'
grep -Eq "why: p0\.runnext was last written at step $PUT( |$)" "$TMP/screen" ||
	fail "no why line for step $PUT"
grep -Eq " $(printf '%#x' "$PUT_PC") <runtime\.runqput\+0x[0-9a-f]+> \[runtime\.newproc\]" \
	"$TMP/screen" || fail "the runqput step's pc is not shown"
# the instruction, and its source register: the one the xchg names
reg=$(grab 's/.* => xchgq %([a-z0-9]+), .*, stored from %([a-z0-9]+).*/\1 \2/p')
read -r xreg sreg <<<"$reg"
[[ -n $xreg && $xreg == "$sreg" ]] || fail "xchg's register and the source differ: '$reg'"

# the pane follows the timeline: one step back shows the step before
keys S
wait_for "HISTORY step $((PUT - 1)) of "
wait_for "Changes +step $((PUT - 1))"
screen | grep -q 'p0\.runnext:' && fail "p0.runnext still listed one step before its write"

# gmp_down_to OBJ FIELD_RE: Down in the G/M/P pane, one row at a time and
# each time until the selection has moved, until a field of OBJ is selected
gmp_down_to() {
	local before end
	for _ in $(seq 60); do
		screen | grep -qE ">G/M/P .* $1\.$2 \(w: why\)" && return 0
		before=$(screen | grep -oE '[a-z0-9.]+ \(w: why\)' | head -n 1)
		keys Down
		end=$((SECONDS + 5))
		while [[ $(screen | grep -oE '[a-z0-9.]+ \(w: why\)' | head -n 1) == "$before" ]] &&
			((SECONDS <= end)); do sleep 0.05; done
	done
}

# w in the TLS / g pane, on its second row (fs:-8): the last write of
# fs:-8 up to the step shown
focus 'TLS / g'
keys Home Down w
wait_for "HISTORY step $TLS_LAST of "
wait_for "why: fs:-8 \\(the current g\\) was last written at step $TLS_LAST"
wait_for '^.* m0\.tls\[0\]: '

# w on p0.runnext in the G/M/P tables, one step before runqget clears it
keys : "goto $((CLEAR - 1))" Enter
wait_for "HISTORY step $((CLEAR - 1)) of "
focus 'G/M/P'
keys Home
gmp_down_to p0 '[a-z]+'
wait_for '>G/M/P .* p0\.status \(w: why\)'
keys Right Right
wait_for '>G/M/P .* p0\.runnext \(w: why\)'
keys w
wait_for "HISTORY step $PUT of "
wait_for "why: p0\\.runnext was last written at step $PUT( |$)"
wait_for '^.* p0\.runnext: 0 -> g1 \(runtime\.runqput\)'
# the selection stays on p0's runnext; w again: no write before it
wait_for '>G/M/P .* p0\.runnext \(w: why\)'
keys w
wait_for "no recorded step wrote p0\\.runnext up to step $((PUT - 1)) "

# w on a register: the step that last changed it, the values around it
keys : "goto $REG_AT" Enter
wait_for "HISTORY step $REG_AT of "
focus Registers
keys Home
for _ in $(seq "$REG_IDX"); do keys Down; done
wait_for ">Registers +$REG \\(w: why\\)"
keys w
wait_for "HISTORY step $REG_STEP of "
wait_for "why: $REG was last changed at step $REG_STEP( |$)"
wait_for "^.* +$REG_OLD -> $REG_NEW by $REG_PC: "

# w on the stack slot selected in the Stack pane (row SLOT_ROW from rsp)
keys : "goto $REG_AT" Enter
wait_for "HISTORY step $REG_AT of "
focus Stack
keys Home
for _ in $(seq "$SLOT_ROW"); do keys Down; done
keys w
wait_for "why: stack slot $SLOT_ADDR was last written at step $SLOT_STEP( |$)"
wait_for "HISTORY step $SLOT_STEP of "

# w on m0's curg in the G/M/P tables at main.main (the last step
# recorded: live again): execute's write
keys : "goto $MAIN" Enter
wait_for "Changes +step $MAIN( |$)"
focus 'G/M/P'
keys Home
gmp_down_to m0 '[a-z0-9]+'
keys Left Left Left Right Right
wait_for '>G/M/P .* m0\.curg \(w: why\)'
keys w
wait_for "HISTORY step $CURG_STEP of "
wait_for "why: m0\\.curg was last written at step $CURG_STEP( |$)"
wait_for '^.* m0\.curg: (0|0x0) -> g1 \(runtime\.execute\)'

quit_yes
wait_file "$TMP/rc"
[[ $(cat "$TMP/rc") == 0 ]] || fail "bootscope exited with $(cat "$TMP/rc")"
exit 0
