#!/usr/bin/env python3
"""Lab 11 (the real Go boot) on a `go build` hello: every check passes,
exactly once, and the constants the lab teaches agree with independent
witnesses:

- g0's stack of 64 KiB - 104: the lea in objdump's rt0_go;
- the number of steps from clone's entry to its syscall: objdump;
- 56 and 0x80000: __NR_clone and CLONE_SETTLS in the kernel headers;
- 23: SIGURG in Python's signal module;
- m0's 32 KiB signal stack: the malg call in the Go sources, when the
  toolchain's GOROOT has them;
- after `thread $rax` the child is the other thread of `info threads`, at
  the parent's pc; the counted steps to runtime.main are what info stages
  says, in boot order.

The same lab on the PIE build and the two cgo builds: every check meant
for that kind of binary (#@only static/dynamic/cgo/nocgo) passes once,
the others are skipped, as a script (-x) and in lab mode (--lab 11).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile

import golib
from golib import last, of

t = golib.Test(__doc__)
hello = t.program("hello")
t.need_tool("objdump")
lab = os.path.join(os.environ.get("BOOTSCOPE_LAB_DIR", "labs"), "11-real-go.bs")
if not os.path.exists(lab):
    t.fail("no lab file %s (set BOOTSCOPE_LAB_DIR)" % lab)
    t.finish()
text = open(lab).read()
lines = text.split("\n")


def expects_for(kinds):
    return [n for n, r in sorted(golib.lab_expects(lines, kinds).items()) if r]


def run_lab(name, prog, kinds):
    want = expects_for(kinds)
    rc, events, err = t.bs(prog, [], extra=["-x", lab])
    t.check("lab 11 on %s: exit status" % name, rc, 0)
    for e in of(events, "error"):
        t.fail("lab 11 on %s: line %s: %s" % (name, e.get("line"), e.get("message")))
    seen = {}
    for e in of(events, "check"):
        if not e.get("skipped"):
            seen.setdefault(e["line"], []).append(e["pass"])
    t.check("lab 11 on %s (-x): expect lines that ran once and passed" % name,
            sorted(n for n, v in seen.items() if v == [True]), want)
    script_events = events
    rc, events, err = t.bs(prog, [], extra=["--lab", "11"],
                           env=dict(os.environ, BOOTSCOPE_LABS=os.path.dirname(os.path.abspath(lab))))
    checks = of(events, "check")
    t.check("lab 11 on %s (--lab): exit status" % name, rc, 0)
    t.check("lab 11 on %s (--lab): checks that passed" % name,
            sorted(c["line"] for c in checks if c["pass"]), want)
    t.check("lab 11 on %s (--lab): the others were skipped" % name,
            sorted(c["line"] for c in checks if c.get("skipped")),
            sorted(set(n for n, l in enumerate(lines, 1) if l.startswith("expect ")) - set(want)))
    return script_events


events = run_lab("hello", hello, {"static", "nocgo"})
for name, kinds in (("hello-pie", {"dynamic", "nocgo"}), ("cgo", {"dynamic", "cgo"}),
                    ("cgo-tls", {"dynamic", "cgo"})):
    if name in t.programs:
        run_lab(name, t.program(name), kinds)


def lab_has(pattern):
    m = re.search(pattern, text, re.M)
    if not m:
        t.fail("lab 11 has no line matching %r" % pattern)
    return m


# g0's stack.
rt0 = golib.objdump(hello, symbol="runtime.rt0_go.abi0")
lea = [int(m.group(1), 16) for _, s in rt0
       for m in [re.match(r"lea\s+-(0x[0-9a-f]+)\(%rsp\),%rbx", s)] if m]
m = lab_has(r"^expect runtime\.g0\.stack\.hi - runtime\.g0\.stack\.lo == 64 \* 1024 - (\d+)$")
t.check("g0's stack size in the lab is rt0_go's lea below rsp", 64 * 1024 - int(m.group(1)) if m else None,
        lea[0] if lea else None)

# Steps to clone's syscall.
clone = golib.objdump(hello, symbol="runtime.clone.abi0")
idx = [i for i, (_, s) in enumerate(clone) if s == "syscall"]
m = lab_has(r"^break runtime\.clone\n(?:.*\n)*?stepi (\d+)$")
t.check("steps from clone's entry to its syscall", int(m.group(1)) if m else None,
        idx[0] if idx else None)

for what, pattern, header, name in (
        ("SYS_clone", r"^expect \$rax == (\d+)$", "asm/unistd_64.h", "__NR_clone"),
        ("CLONE_SETTLS", r"^expect \(\$rdi & (0x[0-9a-f]+)\) != 0$", "linux/sched.h", "CLONE_SETTLS")):
    want = golib.header_constant(header, name)
    m = lab_has(pattern)
    if want is None:
        print("note: %s not found in the kernel headers" % name)
    elif m:
        t.check("%s in the lab is %s of <%s>" % (what, name, header), int(m.group(1), 0), want)

m = lab_has(r"^expect runtime\.handlingSig\[(\d+)\] == 1$")
t.check("the lab's SIGURG number", int(m.group(1)) if m else None, int(signal.SIGURG))

m = lab_has(r"^expect runtime\.m0\.gsignal\.stack\.hi - runtime\.m0\.gsignal\.stack\.lo == (\d+) \* 1024$")
goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True).stdout.strip() \
    if shutil.which("go") else ""
src = os.path.join(goroot, "src", "runtime", "os_linux.go")
if m and os.path.exists(src):
    body = open(src).read()
    pre = re.search(r"func mpreinit\(mp \*m\) \{\s*mp\.gsignal = malg\((\d+) \* 1024\)", body)
    t.check("m0's signal stack in the lab is mpreinit's malg in %s" % src,
            int(m.group(1)), int(pre.group(1)) if pre else None)
else:
    print("note: no Go sources at %r; the signal stack size is not witnessed" % src)

# The two threads after clone's syscall, and the switch to the child.
threads = [e for e in of(events, "threads") if len(e["threads"]) == 2]
thread = last(events, "thread")
if threads and thread:
    th = threads[0]["threads"]
    child = [x for x in th if not x["current"]]
    parent = [x for x in th if x["current"]]
    t.check("thread $rax selects the new thread", thread["tid"], child[0]["tid"] if child else None)
    t.check("parent and child at one pc", child[0]["rip"] if child else None,
            parent[0]["rip"] if parent else None)
    t.check("the child is M 1", thread["m_id"], 1)
else:
    t.fail("no two-thread info threads, or no thread event")

# Counting instructions.
stages = last(events, "stages")
stop = last(events, "stop")
if stages and stop:
    reached = [s for s in stages["stages"] if s["reached"]]
    steps = [s["steps"] for s in reached]
    t.check("stages reached by stepping, in boot order", steps, sorted(steps))
    t.check("runtime.main's count is the last stop's", next(
        (s["steps"] for s in reached if s["name"] == "runtime.main"), None), stop["steps"])
    t.check("the last stop is runtime.main", stop["at_stage"], "runtime.main")

# Out of the box: the build made a `go build` hello beside the bundled
# programs, and --lab 11 without a PROGRAM runs on it.
bundled = os.path.join(os.path.dirname(t.bootscope), "target-runtime", "gohello")
labs_env = dict(os.environ, BOOTSCOPE_LABS=os.path.dirname(os.path.abspath(lab)))
if not os.path.exists(bundled):
    t.fail("the build made no %s although go is installed" % bundled)
else:
    with tempfile.TemporaryDirectory() as d:
        gs = os.path.join(d, "results.json")
        r = subprocess.run([t.bootscope, "--batch", "--json", "--report", "gradescope", gs,
                            "--lab", "11"], capture_output=True, text=True, env=labs_env,
                           timeout=240)
        tests = json.load(open(gs)).get("tests", []) if os.path.exists(gs) else []
    evs = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    start = evs[0] if evs else {}
    skipped = [c for c in of(evs, "check") if c.get("skipped")]
    t.true("lab 11 on gohello skips the cgo checks", len(skipped) > 0)
    t.check("gradescope: a skipped check is worth nothing (max_score 0, no status)",
            [(x.get("max_score"), x.get("status")) for x in tests if x.get("max_score") == 0],
            [(0, None)] * len(skipped))
    t.check("gradescope: every other check is worth one point and passed",
            {(x.get("score"), x.get("max_score"), x.get("status")) for x in tests
             if x.get("max_score") != 0}, {(1, 1, "passed")})
    t.check("--lab 11 without a program: exit status", r.returncode, 0)
    t.check("--lab 11 without a program: the bundled gohello", start.get("program"),
            os.path.realpath(bundled))
    gov = subprocess.run(["go", "version", bundled], capture_output=True, text=True).stdout
    t.check("--lab 11: its Go version is go version's",
            start.get("go_version"), (re.search(r": (go\S+)", gov) or [None, None])[1])

# A build without it: the message says how to build one and pass it.
with tempfile.TemporaryDirectory() as d:
    open(os.path.join(d, "11-real-go.bs"), "w").write(
        re.sub(r"^#@program gohello$", "#@program gonotbuilt", text, 1, re.M))
    r = subprocess.run([t.bootscope, "--batch", "--json", "--lab", "11"], capture_output=True,
                       text=True, env=dict(os.environ, BOOTSCOPE_LABS=d), timeout=60)
    evs = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    msg = next((e["message"] for e in evs if e.get("event") == "error"), "")
    t.check("lab 11 without its program: could not run", r.returncode, 3)
    t.true("the message says how to build a Go hello and pass it",
           "GO111MODULE=off go build" in msg and "bootscope --lab 11 ./PROGRAM" in msg, msg)
t.finish()
