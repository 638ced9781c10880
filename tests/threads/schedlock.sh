#!/usr/bin/env bash
# Scheduler locking, on workers with 2 Ps, stopped where a thread T starts
# the first job (main.work). workers' main holds P0 on m0, spinning
# without a system call, until some job has finished, and only T's P can
# run one meanwhile; no job is done yet (main.firstDone = 0).
#  - step (the default): stepi 500 runs T alone; every other thread keeps
#    its pc and every P not T's keeps its schedtick, queue and goroutine;
#  - on: until runtime.preemptcheck (the job's next preemption point) runs
#    T alone and stops on T, the others untouched, still no job done;
#  - off: on m0, stepi to main's sync.WaitGroup.Wait. m0 gets there only
#    once a job has finished, which only T can do: the others must run
#    while m0 steps. (Under step or on, m0 would spin there for ever: the
#    spin makes no system call that would let the others run.)
# info threads reports the mode.
# usage: schedlock.sh BOOTSCOPE RTDIR
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

cat >"$TMP/lock.cmd" <<'EOF2'
break main.work
run
delete
info threads
info gmp
stepi 500
info threads
info gmp
set scheduler-locking on
until runtime.preemptcheck
info threads
info gmp
print main.firstDone
set scheduler-locking off
thread runtime.m0.procid
break sync.WaitGroup.Wait
stepi 100000000
info threads
info gmp
print main.firstDone
print main.jobs[main.firstDone].p
set scheduler-locking step
delete
continue
EOF2
rc=0
GOMAXPROCS=2 bs_json "$TMP/lock.jsonl" -x "$TMP/lock.cmd" "$(prog workers)" || rc=$?
check_eq "bootscope exit status" "$rc" 0
python3 - "$TMP/lock.jsonl" <<'PY' || fail "see above"
import sys
from events import Checks, load, named
ev = load(sys.argv[1])
check = Checks()
stops, th, gm, pr = named(ev, "stop"), named(ev, "threads"), named(ev, "gmp"), named(ev, "print")
if len(stops) < 4 or len(th) < 4 or len(gm) < 4 or len(pr) < 3:
    print("mismatch: events", [e["event"] for e in ev], file=sys.stderr)
    sys.exit(1)
T = stops[0]["tid"]
check(stops[0]["symbol"] == "main.work", f"first stop {stops[0]['symbol']}")
check([t["scheduler_locking"] for t in th] == ["step", "step", "on", "off"], "modes reported")
mine = next(m for m in gm[0]["m"] if m["procid"] == T)
myp = next(p for p in gm[0]["p"] if p["addr"] == mine["p"])
m0 = next(m for m in gm[0]["m"] if m["id"] == 0)
check(T != m0["procid"] and myp["id"] != 0, f"the first job runs on m{mine['id']} P{myp['id']}")

def others(i):
    """What the threads other than T, and the Ps and Ms not T's, look like."""
    rips = {t["tid"]: t["rip"] for t in th[i]["threads"] if t["tid"] != T}
    ps = {p["id"]: (p["schedtick"], p["runqhead"], p["runqtail"], p["runnext"], p["m"])
          for p in gm[i]["p"] if p["addr"] != mine["p"]}
    ms = {m["id"]: (m["curg"], m["p"], m["spinning"], m["idle"]) for m in gm[i]["m"] if m["procid"] != T}
    return rips, ps, ms

a, b, c = (others(i) for i in range(3))
check(stops[1]["reason"] == "step" and stops[1]["tid"] == T, "stepi 500 stepped T")
check(a[0] == b[0], f"step mode: other threads moved: {a[0]} -> {b[0]}")
check(a[1] == b[1], f"step mode: other Ps changed: {a[1]} -> {b[1]}")
check(a[2] == b[2], f"step mode: other Ms changed: {a[2]} -> {b[2]}")
check(stops[2]["reason"] == "until" and stops[2]["tid"] == T and stops[2]["symbol"] == "runtime.preemptcheck",
      f"until stopped {stops[2]['reason']} at {stops[2]['symbol']} on {stops[2]['tid']}")
check(b == c, f"on: others moved: {b} -> {c}")
check(pr[0]["value"] == 0, f"a job finished while only T ran: main.firstDone = {pr[0]['value']}")
# off: m0 stepped into sync.WaitGroup.Wait, past main's spin
s = stops[3]
check(s["reason"] == "breakpoint" and s["tid"] == m0["procid"] and s["symbol"] == "sync.WaitGroup.Wait",
      f"off: stepi stopped {s['reason']} at {s['symbol']} on {s['tid']}")
done, p = pr[1]["value"], pr[2]["value"]
check(1 <= done <= 16 and p == myp["id"], f"off: job {done} finished first, on P{p}, not on T's P{myp['id']}")
check(named(ev, "exited") and named(ev, "exited")[0]["code"] == 0, "workers did not exit 0")
failed = check.report()
print(f"T = m{mine['id']} on P{myp['id']}; job {done} finished while m0 stepped")
sys.exit(failed)
PY
checks=$((checks + 1))

finish
