#!/usr/bin/env python3
"""History across many free runs of a go1.19 program whose goroutines write
a global and the heap between two stops (progs/gowrites.go): from the third
free run on (the run to the first stop is the first), the pages a run wrote are named by the kernel's write
tracking (userfaultfd write protection read with PAGEMAP_SCAN) where the
kernel has it, instead of every writable page compared.

- With BOOTSCOPE_CHECK_WRITE_TRACKING=1 every page is compared as well, over
  30 jumps: no page a jump changed was missed by the tracking.
- `goto` back to earlier stops shows exactly what the live process showed
  there (every register, main.vals, main.total, runtime.sched, runtime.m0),
  and `goto` the last stop again shows the live state there.
- `info writes` on main.total across the jumps names exactly the jumps
  after which the live process showed it changed.
- BOOTSCOPE_NO_WRITE_TRACKING=1 turns it off (every page compared), with
  the same checks.
"""
import os

import golib
from golib import of

t = golib.Test(__doc__)
prog = t.program("writes")
t.need_tool("nm")

syms = golib.nm_sized(prog, ("main.vals", "main.total", "runtime.sched", "runtime.m0"))
if len(syms) != 4:
    t.fail("nm -S: %s" % syms)
    t.finish()
names = sorted(syms)
views = ["info registers"] + ["x/%dgx 0x%x" % (syms[n][1] // 8, syms[n][0]) for n in names]
NV = len(names)

# 1. every page compared as well: nothing missed
env = dict(os.environ, BOOTSCOPE_CHECK_WRITE_TRACKING="1")
ev = t.bs_ok(prog, ["break main.work", "run"] + ["continue"] * 30 + ["info record"], env=env,
             timeout=600)
rec = of(ev, "record")[-1]
t.check("jumps recorded", rec["jumps"], 31)
t.check("pages changed that the tracking did not name", rec["write_tracking_missed"], 0)
tracking = rec["write_tracking"]
print("write tracking on this kernel:", tracking)

# 2. history: stops 0..11 at main.work with the views, then goto some of
# them again with the views, and info writes on main.total
cmds = ["break main.work", "run"] + views
for _ in range(11):
    cmds += ["continue"] + views
cmds += ["info record"]
for label, extra in (("tracked", {}), ("every page compared", {"BOOTSCOPE_NO_WRITE_TRACKING": "1"})):
    env = dict(os.environ, **extra)
    ev = t.bs_ok(prog, cmds, env=env, timeout=600)
    steps = [s["steps"] for s in of(ev, "stop") if s.get("symbol") == "main.work"]
    if len(steps) != 12:
        t.fail("%s: %d stops at main.work" % (label, len(steps)))
        continue
    pick = [2, 5, 9, 11, 0]
    back = ["info writes *0x%x@8" % syms["main.total"][0]]
    for k in pick:
        back += ["goto %d" % steps[k]] + views
    ev = t.bs_ok(prog, cmds + back, env=env, timeout=600)
    steps2 = [s["steps"] for s in of(ev, "stop") if s.get("symbol") == "main.work"][:12]
    if steps2 != steps:
        t.fail("%s: the steps of the stops differ between two runs: %s, %s" % (label, steps, steps2))
        continue
    rec = of(ev, "record")[0]
    if label == "tracked":
        t.check("%s: the last jump used the write tracking" % label, rec["write_tracking"], tracking)
    else:
        t.check("%s: the write tracking is off" % label, rec["write_tracking"], False)
    regs = of(ev, "registers")
    mems = of(ev, "x")
    if len(regs) != 12 + len(pick) or len(mems) != NV * (12 + len(pick)):
        t.fail("%s: views: %d registers, %d x" % (label, len(regs), len(mems)))
        continue
    view = [(regs[i]["regs"], [[it["value"] for it in m["items"]] for m in mems[NV * i:NV * i + NV]])
            for i in range(12 + len(pick))]
    live, again = view[:12], view[12:]
    changed = sum(a != b for a, b in zip(sum(live[0][1], []), sum(live[11][1], [])))
    t.true("%s: memory compared changed between stop 0 and 11 (%d words)" % (label, changed), changed > 0)
    for (r, m), k in zip(again, pick):
        t.check("%s: registers at step %d (stop %d) = live" % (label, steps[k], k),
                {n: v for n, v in r.items() if live[k][0].get(n) != v}, {})
        for n, a, b in zip(names, m, live[k][1]):
            t.check("%s: %s at step %d (stop %d): words that differ from live" % (label, n, steps[k], k),
                    [i for i, (x, y) in enumerate(zip(a, b)) if x != y], [])
    w = of(ev, "writes")
    t.check("%s: info writes answered" % label, len(w), 1)
    if w:
        # the steps that changed main.total are the continues after which
        # the live process showed another value, each a free run
        tot = [lv[1][names.index("main.total")][0] for lv in live]
        want = [steps[k] for k in range(1, 12) if tot[k] != tot[k - 1]]
        ws = w[0].get("writes", [])
        t.check("%s: the steps that wrote main.total" % label, [x["step"] for x in ws], want)
        t.check("%s: writes of main.total that are not free runs" % label,
                [x["step"] for x in ws if not x["free_run"]], [])
t.finish()
