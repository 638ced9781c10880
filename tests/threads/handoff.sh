#!/usr/bin/env bash
# A P handed off during a system call: sleeper on one P. Its first
# goroutine, the reader, enters read(2) on a pipe (entersyscall: the P goes
# _Psyscall, its M keeps it as m.oldp) and stays there until the writer,
# queued behind it, has run, slept 50 ms and written: so whenever sysmon
# comes, it finds the P in _Psyscall with work queued. bootscope stops
# where sysmon retakes the P (runtime.handoffp, on sysmon's thread): the P
# is already _Pidle with no M, the reader is still _Gsyscall on the M whose
# oldp is that P. With scheduler locking on, sysmon alone finishes
# handoffp: the P has runnable goroutines, so an M (a new one) gets it as
# m.nextp. Running on, the next goroutine (the writer) executes on that
# other M's thread, on the same P, while the reader still waits in the
# kernel for it.
# usage: handoff.sh BOOTSCOPE RTDIR
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

p=$(prog sleeper)
cat >"$TMP/handoff.cmd" <<'EOF2'
break runtime.handoffp
run
print/x $rdi
info threads
info gmp
set scheduler-locking on
finish
info gmp
set scheduler-locking step
delete
tbreak runtime.execute
continue
print/x $rdi
info threads
info gmp
continue
EOF2
rc=0
GOMAXPROCS=1 bs_json "$TMP/handoff.jsonl" -x "$TMP/handoff.cmd" "$p" || rc=$?
check_eq "bootscope exit status" "$rc" 0
python3 - "$TMP/handoff.jsonl" "$(nm_addr "$p" runtime.handoffp)" <<'PY' || fail "see above"
import sys
from events import Checks, hexint, load, named
ev = load(sys.argv[1])
handoffp = hexint(sys.argv[2])
check = Checks()

stops, prints, gmps, threads = named(ev, "stop"), named(ev, "print"), named(ev, "gmp"), named(ev, "threads")
if len(stops) < 3 or len(gmps) < 3 or len(threads) < 2:
    print("mismatch: missing events:", [e["event"] for e in ev], file=sys.stderr)
    sys.exit(1)
s0, fin, s2 = stops[0], stops[1], stops[2]
pp = hexint(prints[0]["hex"])
g0, g1, g2 = gmps
P = lambda gmp: next(p for p in gmp["p"] if hexint(p["addr"]) == pp)
M = lambda gmp, f: [m for m in gmp["m"] if f(m)]
G = lambda gmp, a: next((g for g in gmp["g"] if g["addr"] == a), None)

# 1. sysmon, in handoffp: the P is idle, its old M still in the syscall.
check(hexint(s0["pc"]) == handoffp, f"first stop at {s0['symbol']}")
me = M(g0, lambda m: m["procid"] == s0["tid"])
check(len(me) == 1 and me[0]["sysmon"] and me[0]["p"] == "0x0", f"handoffp runs on {me}")
t = next(t for t in threads[0]["threads"] if t["tid"] == s0["tid"])
check(t["state"] == "sysmon", f"the stopped thread is {t['state']}")
check(P(g0)["status_name"] == "_Pidle" and P(g0)["m"] == "0x0", f"P {P(g0)}")
check(len(P(g0)["runq"]) > 0, "the P has no runnable goroutine")
old = M(g0, lambda m: hexint(m["oldp"]) == pp)
check(len(old) == 1, f"Ms with oldp = P: {old}")
if old:
    o = old[0]
    g = G(g0, o["curg"])
    check(g and g["status_name"] == "_Gsyscall", f"m{o['id']}.curg {g}")
    ot = next((t for t in threads[0]["threads"] if t["tid"] == o["procid"]), {})
    # In read(2); or, if the OS stopped it between entersyscall and the
    # syscall instruction, still on its way there, with no syscall shown.
    on_its_way = ot.get("syscall") is None and (ot.get("symbol") or "").startswith(
        ("syscall.RawSyscall6", "syscall.Syscall+", "runtime.entersyscall"))
    check(ot.get("state") == f"syscall g{g['goid'] if g else '?'}" and (ot.get("syscall") == "read" or on_its_way),
          f"the old M's thread: {ot}")

# 2. after handoffp: another M was given the P to start with.
check(fin["reason"] == "finish" and fin["tid"] == s0["tid"], f"finish: {fin['reason']} on {fin['tid']}")
nxt = M(g1, lambda m: hexint(m["nextp"]) == pp)
check(len(nxt) == 1 and (not old or nxt[0]["addr"] != old[0]["addr"]), f"nextp holders: {nxt}")
check(P(g1)["status_name"] == "_Pidle" and P(g1)["id"] not in g1["sched"]["pidle"], f"P after handoff: {P(g1)}")
check(g1["sched"]["mnext"] == g0["sched"]["mnext"] + 1, "handoffp did not make a new M")

# 3. the next goroutine runs on that M's thread, on the same P.
check(s2["reason"] == "breakpoint" and s2["symbol"] == "runtime.execute", f"third stop {s2['symbol']}")
run_m = M(g2, lambda m: m["procid"] == s2["tid"])
check(len(run_m) == 1 and nxt and run_m[0]["addr"] == nxt[0]["addr"], f"execute on {run_m}, want {nxt}")
check(P(g2)["status_name"] == "_Prunning" and nxt and P(g2)["m"] == nxt[0]["addr"], f"P then: {P(g2)}")
if old:
    check(not old or s2["tid"] != old[0]["procid"], "execute on the syscall's thread")
    o2 = M(g2, lambda m: m["addr"] == old[0]["addr"])[0]
    g = G(g2, o2["curg"])
    check(g and g["status_name"] == "_Gsyscall", f"the sleeper left the kernel already: {g}")
rdi = hexint(prints[1]["hex"])
check(G(g2, prints[1]["hex"]) is not None and G(g0, prints[1]["hex"])["goid"] in P(g0)["runq"] + [P(g0)["runnext_goid"]],
      f"execute({rdi:#x}) was not on the P's queue")
check(named(ev, "exited") and named(ev, "exited")[0]["code"] == 0, "sleeper did not exit 0")
failed = check.report()
print("P%d: m%s in the syscall, handed to m%s" % (P(g0)["id"], old[0]["id"] if old else "?", nxt[0]["id"] if nxt else "?"))
sys.exit(failed)
PY
checks=$((checks + 1))

finish
