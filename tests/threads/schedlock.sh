#!/usr/bin/env bash
# Scheduler locking, on workers with 2 Ps, stopped where a thread T starts
# a job (main.work), while the other M runs jobs too:
#  - step (the default): stepi 500 runs T alone; every other thread keeps
#    its pc and every P not T's keeps its schedtick, queue and goroutine;
#  - off: stepi 2000 lets the others run meanwhile: something else moves;
#  - on: until runtime.preemptcheck (the job's next preemption point) runs
#    T alone and stops on T, the others untouched.
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
set scheduler-locking off
stepi 2000
info threads
info gmp
set scheduler-locking on
until runtime.preemptcheck
info threads
info gmp
set scheduler-locking step
continue
EOF2
rc=0
GOMAXPROCS=2 bs_json "$TMP/lock.jsonl" -x "$TMP/lock.cmd" "$(prog workers)" || rc=$?
check_eq "bootscope exit status" "$rc" 0
python3 - "$TMP/lock.jsonl" <<'PY' || fail "see above"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
bad = []
def check(c, what):
    if not c:
        bad.append(what)
by = lambda k: [e for e in ev if e["event"] == k]
stops, th, gm = by("stop"), by("threads"), by("gmp")
if len(stops) < 4 or len(th) < 4 or len(gm) < 4:
    print("mismatch: events", [e["event"] for e in ev], file=sys.stderr)
    sys.exit(1)
T = stops[0]["tid"]
check(stops[0]["symbol"] == "main.work", f"first stop {stops[0]['symbol']}")
check([t["scheduler_locking"] for t in th] == ["step", "step", "off", "on"], "modes reported")

def others(i):
    """What the threads other than T, and the Ps and Ms not T's, look like."""
    mine = next(m for m in gm[i]["m"] if m["procid"] == T)
    rips = {t["tid"]: t["rip"] for t in th[i]["threads"] if t["tid"] != T}
    ps = {p["id"]: (p["schedtick"], p["runqhead"], p["runqtail"], p["runnext"], p["m"])
          for p in gm[i]["p"] if p["addr"] != mine["p"]}
    ms = {m["id"]: (m["curg"], m["p"], m["spinning"], m["idle"]) for m in gm[i]["m"] if m["procid"] != T}
    return rips, ps, ms

a, b, c, d = (others(i) for i in range(4))
check(stops[1]["reason"] == "step" and stops[1]["tid"] == T, "stepi 500 stepped T")
check(a[0] == b[0], f"step mode: other threads moved: {a[0]} -> {b[0]}")
check(a[1] == b[1], f"step mode: other Ps changed: {a[1]} -> {b[1]}")
check(a[2] == b[2], f"step mode: other Ms changed: {a[2]} -> {b[2]}")
check(stops[2]["reason"] == "step" and stops[2]["tid"] == T, "stepi 2000 stepped T")
check(b != c, "off: nothing else moved during 2000 steps")
check(stops[3]["reason"] == "until" and stops[3]["tid"] == T and stops[3]["symbol"] == "runtime.preemptcheck",
      f"until stopped {stops[3]['reason']} at {stops[3]['symbol']} on {stops[3]['tid']}")
check(c[0] == d[0] and c[1] == d[1] and c[2] == d[2], f"on: others moved: {c} -> {d}")
check(by("exited") and by("exited")[0]["code"] == 0, "workers did not exit 0")
for x in bad:
    print("mismatch:", x, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
checks=$((checks + 1))

finish
