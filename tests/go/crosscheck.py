#!/usr/bin/env python3
"""bootscope against gdb on a `go build` hello, stop by stop.

At runtime.rt0_go, runtime.schedinit, runtime.mstart, runtime.main and
main.main (breakpoints at nm's addresses, GOMAXPROCS=1 so that P0 is the
only P and its state is the same in both runs), bootscope's pc, fs_base,
the g at fs:-8, that g's goid and status, the number of Ps and P0's status
must be what gdb reads at the same stop of its own run, and so must the
number of goroutines in allgs (runtime.allglen), sched.goidgen and
sched.npidle. (How many Ms exist at main.main differs from run to run.) gdb runs without
its Go helpers, in language C, reading fields through the binary's DWARF
('runtime.allp'.array[0]->status); bootscope reads them through libdw.
Each stop also has to make sense on its own (g0 before runtime.main, g1
after it, P0 running once procresize ran).

Instruction counts: from the entry to runtime.args, runtime.osinit and
runtime.schedinit (where the boot is still deterministic) `stepi N` in gdb,
with N taken from bootscope's stage counts, must land on that stage.
Both run with the same minimal environment, since the runtime walks it.
"""
import os

import golib
from golib import addr, last

t = golib.Test(__doc__)
hello = t.program("hello")
t.need_tool("gdb")
t.need_tool("nm")
syms = golib.nm(hello)
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GOMAXPROCS": "1",
       "GODEBUG": "asyncpreemptoff=1"}


def bs_view(bp):
    ev = t.bs_ok(hello, ["break *%#x" % bp, "run", "info gmp"], env=ENV)
    stop, gmp = last(ev, "stop"), last(ev, "gmp")
    if not stop or not gmp:
        t.fail("bootscope did not stop at %#x" % bp)
        return {}
    g = addr(stop["g"]) or 0
    cur = [x for x in gmp["g"] if addr(x["addr"]) == g]
    return {
        "pc": addr(stop["pc"]),
        "fs_base": addr(stop["fs_base"]),
        "g": g,
        "goid": cur[0]["goid"] if cur else -1,
        "status": cur[0]["status"] if cur else 99,
        "nallp": len(gmp["p"]),
        "p0status": gmp["p"][0]["status"] if gmp["p"] else -1,
        "curg": next((addr(m["curg"]) for m in gmp["m"] if m["id"] == 0), 0),
        "allglen": len([x for x in gmp["g"] if x["label"] == "g%d" % x["goid"] and x["goid"] > 0]),
        "goidgen": gmp["sched"]["goidgen"],
        "npidle": gmp["sched"]["npidle"],
        "label": stop["g_label"],
    }


def gdb_view(bp):
    out = golib.gdb(hello, [
        "break *%#x" % bp, "run",
        'printf "pc=%#lx\\n", $pc',
        'printf "fs_base=%#lx\\n", $fs_base',
        "set $g = $fs_base ? *(long *)($fs_base - 8) : 0",
        'printf "g=%#lx\\n", $g',
        "printf \"goid=%ld\\n\", $g ? ((struct 'runtime.g' *)$g)->goid : -1",
        "printf \"status=%u\\n\", $g ? ((struct 'runtime.g' *)$g)->atomicstatus : 99",
        "printf \"nallp=%ld\\n\", 'runtime.allp'.len",
        "printf \"p0status=%d\\n\", 'runtime.allp'.len ? 'runtime.allp'.array[0]->status : -1",
        "printf \"curg=%#lx\\n\", 'runtime.m0'.curg",
        "printf \"allglen=%ld\\n\", 'runtime.allglen'",
        "printf \"goidgen=%lu\\n\", 'runtime.sched'.goidgen",
        "printf \"npidle=%d\\n\", 'runtime.sched'.npidle",
        "printf \"m0tls=%#lx\\n\", &'runtime.m0'.tls[0]",
    ], env=ENV)
    return golib.gdb_values(out), out


G_RUNNING, P_RUNNING = 2, 1
for name in ("runtime.rt0_go", "runtime.schedinit", "runtime.mstart",
             "runtime.main", "main.main"):
    bp, sym = golib.nm_body(syms, name)
    b = bs_view(bp)
    g, text = gdb_view(bp)
    if "pc" not in g:
        t.fail("gdb did not stop at %s: %s" % (sym, text[-500:]))
        continue
    for k in ("pc", "fs_base", "g", "goid", "status", "nallp", "p0status", "curg",
              "allglen", "goidgen", "npidle"):
        t.check("%s: %s" % (name, k), b.get(k), g.get(k))
    # What each stop must show, whoever reads it.
    t.check(name + ": pc is nm's " + sym, b.get("pc"), bp)
    if name == "runtime.rt0_go":
        t.check(name + ": no TLS yet", (b.get("fs_base"), b.get("g")), (0, 0))
        continue
    t.check(name + ": fs_base = &m0.tls[0] + 8", b.get("fs_base"), g["m0tls"] + 8)
    if name in ("runtime.schedinit", "runtime.mstart"):
        t.check(name + ": the g at fs:-8 is nm's runtime.g0", b.get("g"), syms["runtime.g0"])
        t.check(name + ": label", b.get("label"), "g0")
        t.check(name + ": g0's goid", b.get("goid"), 0)
    else:
        t.check(name + ": goroutine 1 runs", (b.get("goid"), b.get("status")), (1, G_RUNNING))
        t.check(name + ": label", b.get("label"), "g1")
        t.check(name + ": m0.curg is the g at fs:-8", b.get("curg"), b.get("g"))
    if name == "runtime.schedinit":
        t.check(name + ": no P before procresize", b.get("nallp"), 0)
    else:
        t.check(name + ": one P (GOMAXPROCS=1), running",
                (b.get("nallp"), b.get("p0status")), (1, P_RUNNING))

# Instruction counts, where the boot is deterministic. gdb steps with
# tests/gdb_stepi.py, which counts cpuid as one step on every host.
GDB_STEPI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gdb_stepi.py")
ev = t.bs_ok(hello, ["starti", "break runtime.schedinit", "stepi 100000",
                     "info stages"], env=ENV)
stages = {s["name"]: s for s in last(ev, "stages")["stages"]} if last(ev, "stages") else {}
ev2 = t.bs_ok(hello, ["starti", "break runtime.schedinit", "stepi 100000",
                      "info stages"], env=ENV)
again = {s["name"]: s["steps"] for s in last(ev2, "stages")["stages"]} if last(ev2, "stages") else {}
for name in ("runtime.args", "runtime.osinit", "runtime.schedinit"):
    n = stages.get(name, {}).get("steps")
    if n is None:
        t.fail("bootscope did not reach %s by stepping" % name)
        continue
    t.check("%s reached after the same number of steps in two runs" % name, again.get(name), n)
    out = golib.gdb(hello, ["source " + GDB_STEPI, "starti", "stepi-exact %d" % n,
                            'printf "pc=%#lx\\n", $pc'],
                    env=ENV)
    t.check("gdb: stepi %d from the entry lands on %s" % (n, name),
            golib.gdb_values(out).get("pc"), addr(stages[name]["addr"]))
t.finish()
