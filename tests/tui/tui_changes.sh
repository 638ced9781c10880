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
#  - w in the TLS / g pane goes to the last write of fs:-8.
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

# w in the TLS / g pane: the last write of fs:-8 up to the step shown
focus 'TLS / g'
keys w
wait_for "HISTORY step $TLS_LAST of "
wait_for "why: fs:-8 \\(the current g\\) was last written at step $TLS_LAST"
wait_for '^.* m0\.tls\[0\]: '

quit_yes
wait_file "$TMP/rc"
[[ $(cat "$TMP/rc") == 0 ]] || fail "bootscope exited with $(cat "$TMP/rc")"
exit 0
