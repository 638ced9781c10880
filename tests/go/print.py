#!/usr/bin/env python3
"""print on a go1.19 binary against gdb and Go's own sources.

At main.main of the Go hello (its nm address, in both debuggers):
runtime.sched.npidle is gdb's number; the slice runtime.allgs has gdb's len
and cap, and its array and elements are those x reads in the same run; the string runtime.buildVersion is gdb's text (and the
binary's release). Every parked goroutine's wait reason, in info gmp and in
print of g.waitreason, is named by the text that the release's
src/runtime/runtime2.go gives its waitReason constant.
"""
import os
import re
import subprocess

import golib
from golib import addr, last, of

t = golib.Test(__doc__)
prog = t.program("hello")
t.need_tool("gdb")
syms = golib.nm(prog)
main = syms["main.main"]

cmds = ["break *%#x" % main, "run", "print runtime.sched.npidle", "print runtime.allgs",
        "print runtime.buildVersion", "info gmp", "x/8gx runtime.allgs.array"]
# one P: the runtime's state at main.main is the same in every run
env = dict(os.environ, GOMAXPROCS="1")
events = t.bs_ok(prog, cmds, env=env)
prints = of(events, "print")
t.check("three prints", len(prints), 3)
npidle, allgs, version = prints
gmp = last(events, "gmp")

out = golib.gdb(prog, ["break *%#x" % main, "run",
                       "print 'runtime.sched'.npidle",
                       "print 'runtime.allgs'",
                       "print 'runtime.buildVersion'"], env=env)
vals = re.findall(r"^\$\d+ = (.*)$", out, re.M)
if len(vals) != 3:
    t.fail("gdb printed %d values: %s" % (len(vals), out[-800:]))
t.check("runtime.sched.npidle as gdb", npidle["value"], int(vals[0]))
t.check("npidle's tree is a uint32", (npidle["tree"]["kind"], npidle["tree"]["type"]),
        ("uint", "uint32"))

m = re.match(r"\{array = (0x[0-9a-f]+), len = (\d+), cap = (\d+)\}", vals[1])
if not m:
    t.fail("gdb's runtime.allgs: " + vals[1])
tree = allgs["tree"]
t.check("runtime.allgs is a slice", (tree["kind"], tree["type"]), ("slice", "[]*runtime.g"))
# where the heap puts the array varies between runs: the raw words of
# the same run (x) witness the array and its elements
x = last(events, "x")
t.check("allgs.array is x's address", addr(tree["array"]), addr(x["addr"]))
t.check("allgs.len as gdb", tree["len"], int(m.group(2)))
t.check("allgs.cap as gdb", tree["cap"], int(m.group(3)))
n = min(tree["len"], 8)
want = [i["value"] for i in x["items"]][:n]
got = []
for e in tree["elements"]:
    got += [e["value"]] * e.get("repeat", 1)
t.check("allgs elements are the array's words (x)", got[:n], want)

m = re.match(r'\{str = 0x[0-9a-f]+(?: <[^>]*>)? "([^"]*)", len = (\d+)\}', vals[2])
if not m:
    t.fail("gdb's runtime.buildVersion: " + vals[2])
vt = version["tree"]
t.check("runtime.buildVersion is a string", vt["kind"], "string")
t.check("buildVersion text as gdb", vt["text"], m.group(1))
t.check("buildVersion len as gdb", vt["len"], int(m.group(2)))
t.true("buildVersion names go1.19", vt["text"].startswith("go1.19"), vt["text"])

# Go's table, from the release's own sources
goroot = None
for go, rel in golib.go_toolchains():
    if vt["text"].startswith(rel + ".") or vt["text"] == rel:
        goroot = subprocess.run([go, "env", "GOROOT"], capture_output=True,
                                text=True).stdout.strip()
if not goroot:
    t.skip("no toolchain of %s for its sources" % vt["text"])
src = open(os.path.join(goroot, "src", "runtime", "runtime2.go")).read()
texts = re.findall(r"^\twaitReason\w+(?:\s+waitReason = iota)?\s*// \"(.*)\"$", src, re.M)
t.true("runtime2.go lists the wait reasons", len(texts) > 20, texts)

# gmp and the prints of every g's waitreason from one run
ev = t.bs_ok(prog, cmds[:2] + ["info gmp"] +
             ["print runtime.allgs.array[%d].waitreason" % i for i in range(tree["len"])],
             env=env)
gmp = last(ev, "gmp")
wr = of(ev, "print")
allg = [g for g in gmp["g"] if g["label"] != "g0"][:len(wr)]
parked = [(g, p) for g, p in zip(allg, wr) if g["status_name"] == "_Gwaiting"]
t.true("some goroutines are parked at main.main", parked, [g["label"] for g in gmp["g"]])
for g, p in parked:
    t.check("%s: waitreason_name is runtime2.go's text for %d" % (g["label"], g["waitreason"]),
            g["waitreason_name"], texts[g["waitreason"]])
    t.check("%s: print of its waitreason is info gmp's" % g["label"], p["value"], g["waitreason"])
    t.check("%s: print g.waitreason names it" % g["label"], p["tree"].get("name"),
            texts[g["waitreason"]] or None)
print("ok   %d parked goroutines named as runtime2.go names them" % len(parked))
t.finish()
