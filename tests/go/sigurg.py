#!/usr/bin/env python3
"""Go's asynchronous preemption (SIGURG) under bootscope: delivered to the
program, never shown as a stop.

`preempt` spins on one P in a loop without calls until another goroutine
sets a flag; only a SIGURG from sysmon lets that goroutine run. The
control runs show it: on its own it ends, with GODEBUG=asyncpreemptoff=1
it does not (killed after a timeout), and strace, when installed, sees
SIGURG delivered. Under bootscope `run` must end with exit 0 and no
signal stop; with a breakpoint after the loop, the stop is that
breakpoint, and goroutine 1 was last switched out inside
runtime.asyncPreempt (the handler's work), so the signal did arrive. A
breakpoint in the handler (runtime.doSigPreempt) stops there with the
thread on its M's signal stack: fs:-8 is m.gsignal, labelled mN.gsignal.
"""
import os
import re
import shutil
import subprocess

import golib
from golib import addr, last, of

t = golib.Test(__doc__)
prog = t.program("preempt")
env = dict(os.environ)
env.pop("GODEBUG", None)

# Controls, without bootscope.
r = subprocess.run([prog], capture_output=True, text=True, env=env, timeout=60)
t.check("preempt alone: exit status", r.returncode, 0)
t.true("preempt alone: prints its line", "preempted" in r.stdout, r.stdout)
off = dict(env, GODEBUG="asyncpreemptoff=1")
try:
    r = subprocess.run([prog], capture_output=True, text=True, env=off, timeout=3)
    t.fail("with asyncpreemptoff=1 preempt ended (status %d): it does not need SIGURG"
           % r.returncode)
except subprocess.TimeoutExpired:
    print("ok   with asyncpreemptoff=1 preempt spins forever (killed after 3 s)")
if shutil.which("strace"):
    r = subprocess.run(["strace", "-f", "-qq", "-e", "trace=none", "-e", "signal=SIGURG",
                        prog], capture_output=True, text=True, env=env, timeout=60)
    if "PTRACE" in r.stderr or "Operation not permitted" in r.stderr:
        print("note: strace cannot trace here: " + r.stderr.strip()[:200])
    else:
        t.true("strace sees SIGURG delivered to preempt", "SIGURG" in r.stderr, r.stderr[-500:])
else:
    print("note: no strace; SIGURG delivery is shown by the runs below")

# Under bootscope: several runs, since preemption depends on timing.
for run in range(3):
    rc, events, err = t.bs(prog, ["run"], env=env)
    exited = last(events, "exited")
    t.check("run %d: bootscope exit status" % run, rc, 0)
    t.check("run %d: the program's exit code" % run, exited and exited["code"], 0)
    t.check("run %d: stops shown" % run, [e.get("reason") for e in of(events, "stop")], [])
    out = "".join(e["data"] for e in of(events, "output") if e["stream"] == "stdout")
    t.true("run %d: the program got past its loop" % run, "preempted" in out, out)

syms = golib.nm(prog)
rc, events, err = t.bs(prog, ["break main.done", "run", "info g 1", "continue"], env=env)
stops = of(events, "stop")
t.check("stops with a breakpoint after the loop",
        [(e["reason"], addr(e["pc"])) for e in stops], [("breakpoint", syms["main.done"])])
g = last(events, "g")
sym = (g or {}).get("sched_pc_symbol") or ""
t.true("goroutine 1 was switched out by the preemption handler (sched.pc in "
       "runtime.asyncPreempt*)", sym.startswith("runtime.asyncPreempt"), sym)
t.check("after continue: exit code", (last(events, "exited") or {}).get("code"), 0)

# In the handler: a breakpoint in doSigPreempt stops on the signal stack.
rc, events, err = t.bs(prog, ["break runtime.doSigPreempt", "run", "info g",
                              "print $g == $g.m.gsignal"],
                       env=env)
stop, g, prints = last(events, "stop"), last(events, "g"), [e["value"] for e in of(events, "print")]
t.check("a breakpoint in the SIGURG handler: the stop", stop and (stop["reason"], addr(stop["pc"])),
        ("breakpoint", syms["runtime.doSigPreempt"]))
t.true("the handler runs on its M's signal stack, labelled mN.gsignal",
       stop and re.fullmatch(r"m\d+\.gsignal", stop["g_label"] or "") and g and
       g["label"] == stop["g_label"], str(stop and stop["g_label"]))
t.check("the g at fs:-8 is the runtime's own m.gsignal", prints, [1])
t.finish()
