#!/usr/bin/env python3
"""History across a free run on a `go build` hello (set record-continue off
is the default for a program that is not bundled): after `stepi 10` and a
continue to main.main, reverse-stepi shows exactly the state before the
continue — every register, runtime.m0, runtime.sched, and the g0 stack
around rsp as they were read live before it — and stepping forward again
shows the state after it. The continue is one step of the record, and
the stages it passed are unreached before it.
"""

import golib
from golib import of

t = golib.Test(__doc__)
hello = t.program("hello")

t.need_tool("nm")
# runtime.m0 and runtime.sched: address and size by nm
syms = golib.nm_sized(hello, ("runtime.m0", "runtime.sched"))
if len(syms) != 2:
    t.fail("nm -S: %s" % syms)
    t.finish()
pre = ["break runtime.schedinit", "run", "stepi 10"]
ev = t.bs_ok(hello, pre + ["p/x $rsp - 2048"])
stk = of(ev, "print")[0]["hex"]
views = ["info registers", "x/512gx %s" % stk] + [
    "x/%dgx 0x%x" % (n // 8, a) for a, n in (syms["runtime.m0"], syms["runtime.sched"])]
ev = t.bs_ok(hello, pre + views + ["info stages", "break main.main", "continue"] + views +
             ["info record", "reverse-stepi"] + views + ["info stages", "info record", "stepi"] + views)
regs = of(ev, "registers")
mems = of(ev, "x")
if len(regs) != 4 or len(mems) != 12:
    t.fail("views: %d registers, %d x" % (len(regs), len(mems)))
    t.finish()
R = [r["regs"] for r in regs]
M = [[it["value"] for m in mems[3 * i:3 * i + 3] for it in m["items"]] for i in range(4)]
before, after, back, fwd = range(4)
t.check("registers after reverse-stepi = before the continue",
        {k: v for k, v in R[back].items() if R[before].get(k) != v}, {})
t.check("registers after stepping forward again = after the continue",
        {k: v for k, v in R[fwd].items() if R[after].get(k) != v}, {})
changed = sum(a != b for a, b in zip(M[before], M[after]))
t.true("the continue changed memory that is compared (%d words)" % changed, changed > 0)
t.check("words that differ from before the continue after going back",
        [i for i, (a, b) in enumerate(zip(M[before], M[back])) if a != b], [])
t.check("words that differ from after the continue after going forward",
        [i for i, (a, b) in enumerate(zip(M[after], M[fwd])) if a != b], [])
rec = of(ev, "record")
t.check("the record after the continue: full, jumps, last",
        (rec[0]["full"], rec[0]["jumps"], rec[0]["last"]), (False, 2, 12))
t.check("after reverse-stepi: the step shown, history", (rec[1]["step"], rec[1]["history"]), (11, True))
st = of(ev, "stages")
reached = lambda s: [x["name"] for x in s["stages"] if x["reached"]]
t.check("stages reached in history before the continue", reached(st[1]), reached(st[0]))
t.check("the current stage there", [x["name"] for x in st[1]["stages"] if x["current"]],
        ["runtime.schedinit"])
t.finish()
