#!/usr/bin/env python3
"""The boot stages of a `go build` hello, against nm, readelf and objdump.

- --list-stages finds all 22 stages; each function stage is at nm's
  address of the real body (NAME, or NAME.abi0 for assembly), never at a
  NAME.abi0 wrapper when a body exists; the entry is readelf's e_entry;
- the rt0_go sub-stages sit on the instructions objdump shows there: the
  first store into runtime.g0, the first cpuid, the call of settls, the
  store of 0x123 through %fs:-8, the next store through %fs:-8;
- run with a breakpoint on every stage, the first hits come in catalog
  order, each on its address;
- the same binary without DWARF (-ldflags=-w) has the same stages.
"""
import re

import golib
from golib import addr, of

CATALOG = [
    "_rt0_amd64_linux", "_rt0_amd64", "runtime.rt0_go", "rt0_go.g0_stack",
    "rt0_go.cpuid", "rt0_go.settls", "runtime.settls", "rt0_go.tls_check",
    "rt0_go.wire", "runtime.check", "runtime.args", "runtime.osinit",
    "runtime.schedinit", "runtime.newproc", "runtime.mstart",
    "runtime.schedule", "runtime.findRunnable", "runtime.execute",
    "runtime.gogo", "runtime.main", "main.main", "runtime.exit",
]

t = golib.Test(__doc__)
hello = t.program("hello")
hello_w = t.program("hello-w")
for tool in ("nm", "readelf", "objdump"):
    t.need_tool(tool)


def list_stages(prog):
    rc, events, err = t.bs(prog, [], extra=["--list-stages"])
    t.check("--list-stages %s: exit status" % prog.split("/")[-1], rc, 0)
    ev = of(events, "stages")
    return ev[0]["stages"] if ev else []


def check_functions(prog, stages):
    syms = golib.nm(prog)
    name = prog.split("/")[-1]
    for s in stages:
        if "." in s["name"] and s["name"].startswith("rt0_go."):
            continue
        want, sym = golib.nm_body(syms, s["name"])
        if s["name"] == "_rt0_amd64_linux":
            t.check("%s: entry stage is readelf's e_entry" % name,
                    addr(s["addr"]), golib.readelf_entry(prog))
        t.check("%s: stage %s at nm's %s" % (name, s["name"], sym), addr(s["addr"]), want)
        t.check("%s: stage %s found in symbol" % (name, s["name"]), s["symbol"], sym)
        if s["name"] + ".abi0" in syms and s["name"] in syms:
            t.true("%s: %s has a body and an .abi0 wrapper; the stage is on the body"
                   % (name, s["name"]), addr(s["addr"]) != syms[s["name"] + ".abi0"])


def check_rt0_go(prog, stages):
    syms = golib.nm(prog)
    by = {s["name"]: addr(s["addr"]) for s in stages}
    insns = golib.objdump(prog, symbol="runtime.rt0_go.abi0")
    t.true("objdump decodes runtime.rt0_go.abi0", len(insns) > 50, "%d insns" % len(insns))
    g0 = "%x <runtime.g0>" % syms["runtime.g0"]
    # The first instruction that writes into runtime.g0: a store through
    # the register loaded with &runtime.g0, or a rip-relative store to it.
    reg = None
    want = {}
    fs_stores = []
    for a, text in insns:
        m = re.match(r"lea\s+\S+\(%rip\),(%\w+)\s+# " + g0, text)
        if m:
            reg = m.group(1)
        if "rt0_go.g0_stack" not in want and reg and re.match(
                r"mov\s+%\w+,(0x[0-9a-f]+)?\(" + re.escape(reg) + r"\)$", text):
            want["rt0_go.g0_stack"] = a
        if "rt0_go.cpuid" not in want and text == "cpuid":
            want["rt0_go.cpuid"] = a
        if "rt0_go.settls" not in want and re.match(
                r"call\s+%x <runtime.settls" % syms["runtime.settls.abi0"], text):
            want["rt0_go.settls"] = a
        if "%fs:0xfffffffffffffff8" in text and text.split()[1].endswith(",%fs:0xfffffffffffffff8"):
            fs_stores.append((a, text))
    if fs_stores and "$0x123" in fs_stores[0][1]:
        want["rt0_go.tls_check"] = fs_stores[0][0]
        if len(fs_stores) > 1:
            want["rt0_go.wire"] = fs_stores[1][0]
    for sub in ("rt0_go.g0_stack", "rt0_go.cpuid", "rt0_go.settls",
                "rt0_go.tls_check", "rt0_go.wire"):
        t.check("%s at the instruction objdump shows" % sub, by.get(sub), want.get(sub))




stages = list_stages(hello)
t.check("hello: the stage catalog", [s["name"] for s in stages], CATALOG)
check_functions(hello, stages)
check_rt0_go(hello, stages)

# Every stage as a temporary breakpoint (deleted when hit): the stops come
# in boot order, each on its stage's address.
cmds = ["tbreak *%s" % s["addr"] for s in stages
        if s["name"] not in ("_rt0_amd64_linux", "runtime.exit")]
cmds += ["run"] + ["continue"] * (len(cmds) - 1)
rc, events, _ = t.bs(hello, cmds)
order, seen = [], set()
for e in of(events, "stop"):
    if e["reason"] != "breakpoint":
        continue
    at = e.get("at_stage")
    t.true("stop at %s is on that stage's address" % at,
           any(s["name"] == at and s["addr"] == e["pc"] for s in stages),
           "pc %s" % e["pc"])
    if at not in seen:
        seen.add(at)
        order.append(at)
    if at == "main.main":
        break
t.check("first hits of the stage breakpoints, in order", order,
        [n for n in CATALOG if n not in ("_rt0_amd64_linux", "runtime.exit")])

# A free run to runtime.procresize passes the stages up to schedinit:
# each is marked reached, in boot order, after step 0; schedinit is current.
ev = t.bs_ok(hello, ["break runtime.procresize", "run", "info stages"])
got = of(ev, "stages")[-1]["stages"] if of(ev, "stages") else []
upto = CATALOG.index("runtime.schedinit")
t.check("run to procresize: the stages reached",
        [s["name"] for s in got if s["reached"]], CATALOG[:upto + 1])
t.check("run to procresize: their order",
        [s.get("order") for s in got if s["reached"]], list(range(1, upto + 2)))
t.check("run to procresize: counts after the entry are 'after step 0'",
        {(s["steps"], s.get("after_step")) for s in got if s["reached"] and s["index"] > 0},
        {(None, 0)})
t.check("run to procresize: the current stage",
        [s["name"] for s in got if s["current"]], ["runtime.schedinit"])

# Without DWARF the stages come from .symtab just the same.
stages_w = list_stages(hello_w)
t.check("hello -ldflags=-w: the stage catalog", [s["name"] for s in stages_w], CATALOG)
check_functions(hello_w, stages_w)
check_rt0_go(hello_w, stages_w)
t.finish()
