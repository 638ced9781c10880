#!/usr/bin/env bash
# A steal, observed: workers with 2 and 4 Ps, a breakpoint on the steal
# stage (runtime.runqsteal). Each time it is hit, scheduler locking keeps
# every other thread stopped while the thief finishes runqsteal, so the
# queues before and after can be compared exactly: the goroutines taken
# leave the victim P's ring (its runqhead moves by n) or its runnext, the
# one returned in rax was among them, and the rest now sit in the thief P's
# ring, in the victim's order: their P changed. Then all threads run on to
# the next hit. A steal that found nothing (rax = 0) changes no queue.
# A steal happens whatever the OS does: workers' main holds P0, busy,
# until a job has finished, and every job starts on P0's queue, so the
# first thief finds P0's runnext or ring full and takes from it within its
# four passes (the last one takes runnext), that is within its first
# four hits; and workers does not end if no P steals.
# usage: steal.sh BOOTSCOPE RTDIR
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

p=$(prog workers)
steal=$(nm_addr "$p" runtime.runqsteal)
for procs in 2 4; do
	{
		echo "break steal"
		echo "run"
		for i in $(seq 1 12); do
			echo "set scheduler-locking on"
			echo "print/x \$rdi"
			echo "print/x \$rsi"
			echo "info gmp"
			echo "finish"
			echo "print/x \$rax"
			echo "info gmp"
			echo "set scheduler-locking step"
			echo "continue"
		done
		echo "delete"
		echo "continue"
	} >"$TMP/steal.cmd"
	rc=0
	GOMAXPROCS=$procs bs_json "$TMP/steal.jsonl" -x "$TMP/steal.cmd" "$p" || rc=$?
	python3 - "$TMP/steal.jsonl" "$steal" "$procs" "$rc" <<'PY' || fail "GOMAXPROCS=$procs: see above"
import sys
from events import Checks, hexint, load, named
path, steal, procs, rc = sys.argv[1], hexint(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ev = load(path)
check = Checks()

errors = named(ev, "error")
exited = named(ev, "exited")
check(exited and exited[0]["code"] == 0, f"workers did not exit 0: {exited}")
# A run that ended early leaves its remaining commands failing; nothing else may.
check(all("not being run" in e["message"] for e in errors), f"errors: {errors[:2]}")

def ps(gmp):
    return {hexint(p["addr"]): p for p in gmp["p"]}
def goid(gmp, addr):
    return next((g["goid"] for g in gmp["g"] if hexint(g["addr"]) == addr), None)

steals = 0
first_victim = None
i = 0
while i < len(ev):
    e = ev[i]
    if not (e["event"] == "stop" and e["reason"] == "breakpoint"):
        i += 1
        continue
    seq = ev[i + 1:i + 7]
    kinds = [x["event"] for x in seq]
    if kinds[:6] != ["print", "print", "gmp", "stop", "print", "gmp"]:
        i += 1
        continue
    check(hexint(e["pc"]) == steal and e["at_stage"] == "steal", f"stop at {e['symbol']}")
    thief, victim = hexint(seq[0]["hex"]), hexint(seq[1]["hex"])
    before, fin, rax, after = ps(seq[2]), seq[3], hexint(seq[4]["hex"]), ps(seq[5])
    check(fin["reason"] == "finish" and fin["tid"] == e["tid"], f"finish on thread {fin['tid']}, stopped {fin['reason']}")
    tb, vb, ta, va = before[thief], before[victim], after[thief], after[victim]
    # a spinning thief has nothing of its own
    check(tb["runq"] == [] and tb["runnext"] == "0x0", f"thief P{tb['id']} had work: {tb['runq']}")
    n = va["runqhead"] - vb["runqhead"]
    if rax == 0:
        check(n == 0 and va["runq"] == vb["runq"] and va["runnext"] == vb["runnext"] and ta["runq"] == [],
              f"an empty steal changed queues: P{vb['id']} {vb['runq']} -> {va['runq']}")
    else:
        got = goid(seq[5], rax)
        if n == 0:
            # its runnext, on the last pass
            check(vb["runnext_goid"] == got and va["runnext"] == "0x0" and ta["runq"] == [],
                  f"runnext steal: victim runnext {vb['runnext_goid']} -> {va['runnext_goid']}, got g{got}")
        else:
            taken = vb["runq"][:n]
            check(n == len(vb["runq"]) - len(vb["runq"]) // 2, f"took {n} of {len(vb['runq'])}, not half rounded up")
            check(va["runq"] == vb["runq"][n:], f"victim ring {vb['runq']} -> {va['runq']}")
            check(got == taken[-1], f"returned g{got}, the last taken is g{taken[-1]}")
            check(ta["runq"] == taken[:-1], f"thief ring {ta['runq']}, want {taken[:-1]}")
            check(ta["runqtail"] - tb["runqtail"] == n - 1, "thief runqtail")
        check(got is not None, f"rax {rax:#x} is no goroutine")
        steals += 1
        if first_victim is None:
            first_victim = vb["id"]
        print(f"GOMAXPROCS={procs}: P{tb['id']} stole g{got} from P{vb['id']} ({n or 'runnext'} taken)")
    i += 7   # the stop, 2 prints, gmp, the finish stop, print, gmp
check(steals >= 1, "no goroutine was stolen")
check(first_victim in (None, 0), f"the first steal was from P{first_victim}, not from main's P0")
sys.exit(check.report())
PY
	checks=$((checks + 1))
done

finish
