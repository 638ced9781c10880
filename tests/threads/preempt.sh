#!/usr/bin/env bash
# sysmon preempts a goroutine that runs too long: `workers 4` on one P,
# whose jobs run for tens of milliseconds each without yielding. bootscope stops in
# runtime.gopreempt_m, on g0 of the M running the job: the job's g has
# preempt set and stackguard0 = Go's stackPreempt (uintptrMask & -1314),
# above any stack pointer, so the next check (runtime.preemptcheck, Go's
# prologue) failed; the g is still _Grunning in main.work. At the next
# execute the g waits on the global run queue (or is the one chosen).
# usage: preempt.sh BOOTSCOPE RTDIR
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

stackpreempt=$(printf '%#x' $(( -1314 & 0xffffffffffffffff )))
cat >"$TMP/preempt.cmd" <<EOF2
break runtime.gopreempt_m
run
expect \$g == runtime.m0.g0
expect \$rdi == runtime.m0.curg
expect runtime.m0.curg.preempt == 1
expect runtime.m0.curg.stackguard0 == $stackpreempt
expect runtime.m0.curg.stackguard0 > runtime.m0.curg.stack.hi
expect runtime.m0.curg.atomicstatus == 2
expect runtime.m0.curg.startpc == main.work
info g \$rdi
delete
break runtime.execute
continue
info g \$rdi
info gmp
delete
continue
EOF2
rc=0
GOMAXPROCS=1 bs_json "$TMP/preempt.jsonl" -x "$TMP/preempt.cmd" "$(prog workers)" 4 || rc=$?
check_eq "bootscope exit status" "$rc" 0
python3 - "$TMP/preempt.jsonl" <<'PY' || fail "see above"
import sys
from events import Checks, load, named
ev = load(sys.argv[1])
check = Checks()
ex = named(ev, "expect")
if len(ex) != 7 or not all(e["ok"] for e in ex):
    check.fail(f"expects: {[(e['expr'], e['ok']) for e in ex]}")
gs = named(ev, "g")
gmp = named(ev, "gmp")
if len(gs) == 2 and gmp:
    victim, chosen = gs[0]["goid"], gs[1]["goid"]
    if victim != chosen and victim not in gmp[0]["sched"]["runq"]:
        check.fail(f"g{victim} is neither run next (g{chosen}) nor on the global queue {gmp[0]['sched']['runq']}")
    print(f"g{victim} was preempted; g{chosen} runs next")
else:
    check.fail("missing info g / info gmp output")
if not any(e["event"] == "exited" and e["code"] == 0 for e in ev):
    check.fail("workers did not exit 0")
sys.exit(check.report())
PY
checks=$((checks + 1))

finish
