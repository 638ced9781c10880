#!/usr/bin/env python3
"""What an address is, on a real Go program (go1.19 hello, preempt).

- `info proc mappings` at main.main lists exactly the lines of
  /proc/PID/maps read by this test while the program is stopped there,
  each named: the program's text, its bss, [stack] as the OS stack holding
  m0's g0 stack, vdso, vvar; goroutine 1's stack is a range inside a
  mapping named "heap arena", with the bounds of its g's stack read from
  the stopped process's memory; `xinfo $rsp` says the same; m0's gsignal stack is a
  range with the bounds of m0.gsignal's stack. On the cgo program the
  dynamic loader's and libc's mappings are named ld.so and libc.
- `info symbol` equals gdb's for a function + offset, a data symbol +
  offset and an address no symbol holds; `xinfo` names the field of
  runtime.m0 (m0.p, whose address gdb gives).
- A stop in the vDSO (a step into the call of runtime.nanotime1) is named
  as gdb names it: the stop's symbol, `x/i` and `info symbol`.
- runtime.LockOSThread: at runtime.gcenable (runtime.main holds g1 on m0
  during the package inits) g1's lockedm and m0's lockedg are what gdb
  reads.
- In a signal handler (runtime.sighandler of preempt's SIGURG) the
  thread's state is "signal handler" and `info g` of its M's gsignal
  works.
- Bad input: `info symbol nonsense`, `xinfo` without an argument, `info
  proc foo`: one error line each.
"""
import os
import random
import re
import subprocess

import golib
from golib import addr, last, of
from events import Live, proc_maps

t = golib.Test(__doc__)
prog = t.program("hello")
preempt = t.program("preempt")
t.need_tool("gdb")
syms = golib.nm(prog)


def gdb(p, cmds):
    argv = ["gdb", "-nx", "-batch", "-ex", "set startup-with-shell off",
            "-ex", "set print demangle off"]
    for c in cmds:
        argv += ["-ex", c]
    return subprocess.run(argv + [p], capture_output=True, text=True, timeout=120).stdout


def read_words(pid, a, n):
    with open("/proc/%d/mem" % pid, "rb") as f:
        f.seek(a)
        b = f.read(8 * n)
    return [int.from_bytes(b[i:i + 8], "little") for i in range(0, len(b), 8)]


def read_g1(pid):
    """(g, stack.lo, stack.hi) of goroutine 1, from the process's memory."""
    try:
        arr, n = read_words(pid, syms["runtime.allgs"], 2)
        for g in read_words(pid, arr, min(n, 1000)):
            goid = read_words(pid, g + goid_off_of(), 1)[0]
            if goid == 1:
                lo, hi = read_words(pid, g, 2)
                return g, lo, hi
    except OSError as e:
        print("note: cannot read /proc/%d/mem: %s" % (pid, e))
    return None


_dies = []


def member_off(struct, member):
    """The offset of a member of runtime.STRUCT in prog, from readelf's DWARF."""
    if not _dies:
        _dies.append(golib.dwarf_dies(prog))
    for d in _dies[0].values():
        if d["tag"] == "DW_TAG_structure_type" and \
                d["at"].get("DW_AT_name", "").split()[-1:] == ["runtime." + struct]:
            for k in d["kids"]:
                if k["at"].get("DW_AT_name", "").split()[-1:] == [member]:
                    return int(k["at"]["DW_AT_data_member_location"].split()[-1])
    raise KeyError(struct + "." + member)


def goid_off_of():
    return member_off("g", "goid")


def read_gsignal0(pid):
    """(g, stack.lo, stack.hi) of m0's gsignal, from the process's memory."""
    try:
        g = read_words(pid, syms["runtime.m0"] + member_off("m", "gsignal"), 1)[0]
        lo, hi = read_words(pid, g, 2)
        return g, lo, hi
    except (OSError, KeyError) as e:
        print("note: cannot read m0.gsignal: %s" % e)
    return None


# ---- info proc mappings at main.main, against /proc ---------------------------
b = Live([t.bootscope, "--json", prog])
try:
    b.cmd("break main.main")
    stop = last(b.cmd("run"), "stop")
    t.check("the stop at main.main", stop and addr(stop["pc"]), syms["main.main"])
    ev = last(b.cmd("info proc mappings"), "mappings")
    pid = ev["pid"] if ev else 0
    maps = proc_maps(pid) if pid else []
    tasks = sorted(int(x) for x in os.listdir("/proc/%d/task" % pid)) if pid else []
    xs = last(b.cmd("xinfo $rsp"), "xinfo")
    regs = last(b.cmd("info registers rsp"), "registers")
    rsp = addr(regs["regs"]["rsp"]) if regs else None
    g1_mem = read_g1(pid) if pid else None
    gs0_mem = read_gsignal0(pid) if pid else None
    xm = last(b.cmd("xinfo &runtime.m0+208"), "xinfo")
    errs = [of(b.cmd(c), "error") for c in ("info symbol nonsense", "xinfo", "info proc foo")]
    gm = last(b.cmd("info gmp"), "gmp")
    gsigs = [(m["id"], m["gsignal"], b.cmd("info g " + m["gsignal"]))
             for m in (gm or {}).get("m", []) if addr(m["gsignal"])]
finally:
    b.close()
got = [(addr(m["start"]), addr(m["end"]), m["perms"], addr(m["offset"]), m["objfile"])
       for m in ev["mappings"]] if ev else []
t.check("info proc mappings = /proc/PID/maps at main.main", got, maps)
t.true("the same sizes", ev and all(m["size"] == addr(m["end"]) - addr(m["start"])
                                   for m in ev["mappings"]))


def holding(a):
    return [m for m in (ev["mappings"] if ev else [])
            if addr(m["start"]) <= a < addr(m["end"])]


text = holding(syms["main.main"])
t.true("main.main's mapping is text", text and "text" in text[0]["what"].split("/"),
       str(text and text[0]["what"]))
bss = holding(syms["runtime.m0"])
t.true("runtime.m0's mapping is bss", bss and "bss" in bss[0]["what"].split("/"),
       str(bss and bss[0]["what"]))
by_name = {m["objfile"]: m for m in (ev["mappings"] if ev else [])}
t.check("[vdso] is named", (by_name.get("[vdso]") or {}).get("what"), "vdso")
t.check("[vvar] is named", (by_name.get("[vvar]") or {}).get("what"), "vvar")
stack = by_name.get("[stack]") or {}
t.check("[stack] is the OS stack and m0's g0 stack", stack.get("what"),
        "OS stack, g0 stack of m0")
t.true("[stack] lists g0 stack of m0 as a range",
       [r["what"] for r in stack.get("ranges", [])] == ["g0 stack of m0"],
       str(stack.get("ranges")))

w = gdb(prog, ["p &'runtime.m0'.p"])
vals = re.findall(r"^\$\d+ = (?:\([^)]*\) )?(0x[0-9a-f]+)", w, re.M)
# goroutine 1's stack, read from the stopped process's memory: the g of
# runtime.allgs whose goid (its offset from the DWARF, by readelf) is 1,
# its stack.lo and stack.hi (g's first words)
if not vals or not g1_mem:
    t.fail("no witness for goroutine 1's stack: gdb %r, memory %r" % (w[-200:], g1_mem))
else:
    m0p = int(vals[0], 16)
    g1, lo, hi = g1_mem
    ranges = [(m, r) for m in (ev["mappings"] if ev else []) for r in m["ranges"]
              if r["goid"] == 1]
    t.check("goroutine 1's stack: one range", len(ranges), 1)
    if ranges:
        m, r = ranges[0]
        t.check("goroutine 1's stack range (its g's stack in /proc/PID/mem)",
                (addr(r["start"]), addr(r["end"]), addr(r["g"]), r["what"]),
                (lo, hi, g1, "stack of goroutine 1"))
        t.check("goroutine 1's stack is inside a heap arena mapping", m["what"], "heap arena")
    t.check("xinfo $rsp: the address", xs and addr(xs["addr"]), rsp)
    t.check("xinfo $rsp: goroutine 1's stack",
            xs and (xs["what"], xs["stack"]["goid"], addr(xs["stack"]["start"])),
            ("stack of goroutine 1", 1, lo))
    t.true("xinfo $rsp: in a heap arena", xs and xs["arena"] and
           addr(xs["arena"]) <= rsp < addr(xs["arena"]) + (64 << 20))
    t.check("xinfo &runtime.m0+208: gdb's &runtime.m0.p", xm and addr(xm["addr"]), m0p)
    t.check("xinfo &runtime.m0+208: the field", xm and (xm["field"], xm["kind"], xm["section"]),
            ("runtime.m0.p", "data", ".bss"))
gs0 = [r for m in (ev["mappings"] if ev else []) for r in m["ranges"]
       if r["kind"] == "gsignal stack" and r["m_id"] == 0]
t.check("m0's gsignal stack range (m0.gsignal's stack in /proc/PID/mem)",
        [(addr(r["g"]), addr(r["start"]), addr(r["end"]), r["what"]) for r in gs0],
        [gs0_mem + ("gsignal stack of m0",)] if gs0_mem else None)
mstacks = [r for m in (ev["mappings"] if ev else []) for r in m["ranges"]
           if r["kind"] in ("g0 stack", "gsignal stack")]
# (null for an M whose new thread has not run minit yet: m.procid is 0)
t.true("each g0 and gsignal stack names its M's thread, one of /proc/PID/task, or null",
       mstacks and all(r["tid"] is None or r["tid"] in tasks for r in mstacks),
       "%s, tasks %s" % ([(r["what"], r["tid"]) for r in mstacks], tasks))
t.check("m0's stacks are on the main thread", sorted({r["tid"] for r in mstacks if r["m_id"] == 0}),
        [pid])
# info g of each M's gsignal, not running: its label, and its stack is the
# range info proc mappings lists
for mid, ga, evs in gsigs:
    g = last(evs, "g")
    r = [(addr(x["start"]), addr(x["end"])) for m in (ev["mappings"] if ev else [])
         for x in m["ranges"] if x["g"] == ga]
    t.check("info g m%d.gsignal: label and stack" % mid,
            g and (g["label"], [(addr(g["stack_lo"]), addr(g["stack_hi"]))], of(evs, "error")),
            ("m%d.gsignal" % mid, r, []))
t.true("info g of every M's gsignal (%d)" % len(gsigs), len(gsigs) >= 2)
for c, e in zip(("info symbol nonsense", "xinfo", "info proc foo"), errs):
    t.check("%s: one error" % c, len(e), 1)


# ---- a dynamic program (cgo): ld.so and libc ----------------------------------------
cgo = t.programs.get("cgo")
if cgo:
    b = Live([t.bootscope, "--json", cgo])
    try:
        b.cmd("break main.main")
        b.cmd("run")
        cev = last(b.cmd("info proc mappings"), "mappings")
        cmaps = proc_maps(cev["pid"]) if cev else []
    finally:
        b.close()
    cgot = [(addr(m["start"]), addr(m["end"]), m["perms"], addr(m["offset"]), m["objfile"])
            for m in cev["mappings"]] if cev else []
    t.check("cgo: info proc mappings = /proc/PID/maps", cgot, cmaps)
    whats = {m["what"] for m in (cev["mappings"] if cev else [])
             if m["objfile"].startswith("/") and "ld-linux" in m["objfile"]}
    t.check("cgo: the dynamic loader's mappings", whats, {"ld.so"})
    whats = {m["what"] for m in (cev["mappings"] if cev else [])
             if m["objfile"].startswith("/") and "/libc.so" in m["objfile"]}
    t.check("cgo: libc's mappings", whats, {"libc"})
else:
    print("note: no cgo program (no C compiler): ld.so and libc not checked")


# ---- info symbol against gdb (text) ----------------------------------------------
def bs_text(p, cmds):
    argv = [t.bootscope, "--batch"]
    for c in cmds:
        argv += ["-ex", c]
    r = subprocess.run(argv + ["--", p], capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


addrs = ["%#x" % (syms["runtime.schedinit"] + 12), "%#x" % (syms["runtime.m0"] + 152),
         "%#x" % syms["runtime.sched"], "0x10"]
rc, out, err = bs_text(prog, ["info symbol " + a for a in addrs])
want = gdb(prog, ["info symbol " + a for a in addrs]).splitlines()
t.check("info symbol = gdb's for %s" % ", ".join(addrs), out.splitlines(), want[-len(addrs):])
# and at 15 addresses of each allocated section, drawn with a fixed seed
rnd = random.Random(19)
secs = re.findall(r"\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+\S*A",
                  subprocess.run(["readelf", "-SW", prog], capture_output=True,
                                 text=True).stdout)
addrs = ["%#x" % (int(a, 16) + rnd.randrange(int(n, 16))) for _, a, n in secs
         for _ in range(15) if int(a, 16) and int(n, 16)]
rc, out, err = bs_text(prog, ["info symbol " + a for a in addrs])
want = gdb(prog, ["info symbol " + a for a in addrs]).splitlines()[-len(addrs):]
bad = [(a, x, y) for a, x, y in zip(addrs, out.splitlines(), want) if x != y]
t.true("info symbol = gdb's at %d addresses of %d sections" % (len(addrs), len(secs)),
       len(addrs) > 100 and not bad and len(out.splitlines()) == len(addrs), str(bad[:5]))

# ---- a stop in the vDSO ----------------------------------------------------------
calls = [a for a, text in golib.objdump(prog, "runtime.nanotime1.abi0") if text.startswith("call")
         and "*%rax" in text]
if not calls:
    t.fail("no call *%rax in runtime.nanotime1.abi0")
else:
    cmds = ["break *%#x" % calls[0], "run", "stepi", "x/i $pc", "info symbol $pc"]
    rc, events, err = t.bs(prog, cmds)
    stops = of(events, "stop")
    w = gdb(prog, ["break *%#x" % calls[0], "run", "stepi", "info symbol $pc", "x/i $pc"])
    m = re.search(r"^(\S+) in section (\S+) of system-supplied DSO at (0x[0-9a-f]+)$", w, re.M)
    gx = re.search(r"=> (0x[0-9a-f]+) <([^>+]+)(?:\+(\d+))?>:", w)
    if not m or not gx:
        t.fail("gdb did not name the vDSO stop: " + w[-400:])
    else:
        name, section, base = m.group(1), m.group(2), int(m.group(3), 16)
        pc = int(gx.group(1), 16)
        t.check("the stop after stepping into the call (gdb's pc)",
                stops and addr(stops[-1]["pc"]), pc)
        t.check("the stop's symbol (gdb: %s)" % name, stops and stops[-1]["symbol"], name)
        xi = last(events, "x")
        t.check("x/i names it", xi and xi["items"][0].get("addr_symbol"), name)
        sy = last(events, "symbol")
        t.check("info symbol in the vDSO (gdb's words)",
                sy and (sy["name"], sy["offset"], sy["section"], sy["objfile"]),
                (name, 0, section, "system-supplied DSO at %#x" % base))

    # a restart maps the vDSO elsewhere (address-space randomisation
    # kept on): each run's stop there is named from that run's image
    cmds = ["break *%#x" % calls[0], "run", "stepi", "info symbol $pc", "info proc mappings"]
    rc, events, err = t.bs(prog, cmds + cmds[1:], extra=["--keep-aslr"])
    syms_ = of(events, "symbol")
    bases = [[addr(m["start"]) for m in e["mappings"] if m["objfile"] == "[vdso]"]
             for e in of(events, "mappings")]
    t.check("--keep-aslr, two runs: the vDSO stop is named in each",
            [(e["name"], e["objfile"]) for e in syms_],
            [(name, "system-supplied DSO at %#x" % b[0]) for b in bases if b])
    t.true("--keep-aslr, two runs: two stops", len(syms_) == 2, str(syms_))
    if len(bases) == 2 and bases[0] == bases[1]:
        print("note: the vDSO was at the same address in both runs")

# ---- LockOSThread: g.lockedm, m.lockedg -------------------------------------------
rc, events, err = t.bs(prog, ["break runtime.gcenable", "run", "info g", "info gmp"])
w = gdb(prog, ["break runtime.gcenable", "run", "p/x $r14", "set language c",
               "p/x ((struct 'runtime.g' *)$r14)->lockedm", "p/x 'runtime.m0'.lockedg"])
vals = re.findall(r"^\$\d+ = (0x[0-9a-f]+)", w, re.M)
g, gmp = last(events, "g"), last(events, "gmp")
m0 = [m for m in (gmp or {}).get("m", []) if m["id"] == 0]
if len(vals) < 3:
    t.fail("gdb at runtime.gcenable: " + w[-300:])
else:
    g1, lockedm, lockedg = (int(v, 16) for v in vals[:3])
    t.true("gdb: g1 is locked to m0 there", lockedm == syms["runtime.m0"] and lockedg == g1)
    t.check("info g: g1 and its lockedm (gdb)", g and (addr(g["addr"]), addr(g["lockedm"])),
            (g1, lockedm))
    t.check("info gmp: m0's lockedg (gdb)", m0 and (addr(m0[0]["lockedg"]), m0[0]["lockedg_label"]),
            (lockedg, "g1"))

# ---- the signal handler -------------------------------------------------------------
rc, events, err = t.bs(preempt, ["break runtime.sighandler", "run", "info threads", "info gmp",
                                 "info g $g.m.gsignal"])
stop, th, gmp = last(events, "stop"), last(events, "threads"), last(events, "gmp")
gv = last(events, "g")
pre = golib.nm(preempt)
t.check("a stop at runtime.sighandler", stop and (stop["reason"], addr(stop["pc"])),
        ("breakpoint", pre["runtime.sighandler"]))
cur = [x for x in (th or {}).get("threads", []) if x["current"]]
t.check("the thread's state in the handler", cur and cur[0]["state"], "signal handler")
gsig = cur and cur[0]["g"]
ms = [m for m in (gmp or {}).get("m", []) if m["gsignal"] == gsig]
t.true("fs:-8 is an M's gsignal", bool(ms), str(gsig))
t.check("info g of the gsignal g (by address: $g.m.gsignal)",
        gv and (gv["addr"], gv["label"], gv["current"]),
        (gsig, "m%d.gsignal" % ms[0]["id"], True) if ms else None)
t.check("no errors in the handler", of(events, "error"), [])

t.finish()
