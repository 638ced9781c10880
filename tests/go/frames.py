#!/usr/bin/env python3
"""backtrace and goroutine N bt on real Go binaries, gdb as the witness.

gdb unwinds Go code with the CFI Go's linker writes (.debug_frame), as
bootscope does; tests/gdb_frames.py prints its frames (pc, sp, function).
At each stop every frame bootscope shows is gdb's, up to the top of the
stack: runtime.rt0_go on g0, runtime.goexit on a goroutine (gdb goes on
below those into words that are no frames; Go's own traceback stops
there); sp is compared as an offset from the first frame's (goroutine
stacks move from run to run). Names are compared without the ".abi0" of an assembly function's
ELF symbol (gdb names it by its DWARF name).

- runtime.newproc1 called from rt0_go on g0, main.main, and a goroutine's
  function (main.worker) of the goroutines program;
- in the vDSO (clock_gettime, stepped into from runtime.nanotime1), at
  its first instruction and 12 instructions in, the frames are gdb's;
- `frame 2` at runtime.newproc1: $pc and $sp equal gdb's after `frame 2`;
- runtime.newproc1 called through runtime.systemstack from goroutine 1
  (the third one, gcenable's go bgsweep): gdb's frames up to
  runtime.systemstack, then bootscope goes on in goroutine 1, marked as a
  goroutine switch at g1's g.sched.pc, and those frames are gdb's after
  setting $pc and $sp to g1's g.sched (read by gdb from m0.curg);
- `goroutine 1 bt` while goroutine 1 is parked (GOMAXPROCS=1: bgsweep
  runs only once g1 waits) equals runtime-gdb.py's `goroutine 1 bt`
  (its frames) when gdb can load the Go toolchain's runtime-gdb.py, else
  gdb's frames from g1's g.sched; `goroutine 3 bt` for the goroutine
  running on the current thread equals `bt`.
"""
import os
import re

import golib
from golib import last, nm

GDB_FRAMES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gdb_frames.py")
RUNTIME_GDB = "/usr/lib/go-1.19/src/runtime/runtime-gdb.py"

t = golib.Test(__doc__)
hello = t.program("hello")
gor = t.program("goroutines")
t.need_tool("gdb")
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GODEBUG": "asyncpreemptoff=1",
       "GOMAXPROCS": "1"}


def base(name):
    return name[:-5] if name and name.endswith(".abi0") else name


def gdb_frames(prog, cmds, dump="frames-dump"):
    out = golib.gdb(prog, ["set backtrace past-main on", "source " + GDB_FRAMES] + cmds
                    + [dump], env=ENV)
    frames = [(int(m.group(2), 16), int(m.group(3), 16), m.group(4))
              for m in re.finditer(r"^F (\d+) (0x[0-9a-f]+) (0x[0-9a-f]+) (\S+)$", out, re.M)]
    return frames, out


def bs_frames(bt):
    return [(int(f["pc"], 16), int(f["sp"], 16), base(f["func"]) or "None")
            for f in bt["frames"]]


def rel(frames):
    """sp as an offset from the first frame's: a goroutine's stack is on
    the heap, at another address in each run."""
    return [(pc, sp - frames[0][1], name) for pc, sp, name in frames]


def same_frames(what, ours, gdbs):
    """Every frame of ours is gdb's (gdb may show more below the top)."""
    t.check(what + ": frames (pc, sp from the first, function)", rel(ours),
            rel(gdbs[:len(ours)]))


def top(what, frames, name):
    t.true(what + ": the stack ends at " + name, frames and frames[-1][2] == name,
           str(frames[-1:]))


syms = nm(hello)
gsyms = nm(gor)

# Plain CFI stacks.
for prog, sym, tops, cont in ((hello, "runtime.newproc1", "runtime.rt0_go", 0),
                              (hello, "main.main", "runtime.goexit", 0),
                              (gor, "main.worker", "runtime.goexit", 0)):
    a = (syms if prog == hello else gsyms)[sym]
    gf, out = gdb_frames(prog, ["break *%#x" % a, "run"])
    ev = t.bs_ok(prog, ["break *%#x" % a, "run", "bt"], env=ENV)
    bt = last(ev, "backtrace")
    if not bt or len(gf) < 2:
        t.fail("%s: no backtrace (gdb: %s)" % (sym, out[-300:]))
        continue
    ours = bs_frames(bt)
    same_frames(sym, ours, gf)
    top(sym, ours, tops)
    t.check(sym + ": frame 0 is found from the registers", bt["frames"][0]["how"], "inner")
    t.true(sym + ": the callers by CFI", all(f["how"] == "cfi" for f in bt["frames"][1:]))

# In the vDSO (stepping into runtime.nanotime1's call of clock_gettime):
# its frames unwind with the vDSO's own CFI, read from the process.
calls = [a for a, text in golib.objdump(hello, "runtime.nanotime1.abi0")
         if text.startswith("call") and "*%rax" in text]
t.true("a call *%rax in runtime.nanotime1.abi0", bool(calls))
for n in (1, 12) if calls else ():
    stop = ["break *%#x" % calls[0], "run", "stepi %d" % n]
    gf, out = gdb_frames(hello, stop)
    ev = t.bs_ok(hello, stop + ["bt"], env=ENV)
    bt = last(ev, "backtrace")
    if not bt or len(gf) < 2:
        t.fail("vDSO stepi %d: no backtrace (gdb: %s)" % (n, out[-300:]))
        continue
    ours = bs_frames(bt)
    same_frames("in the vDSO, stepi %d" % n, ours, gf)
    t.check("in the vDSO, stepi %d: two frames" % n, len(ours), 2)
    t.check("in the vDSO, stepi %d: the caller by CFI" % n, bt["frames"][1]["how"], "cfi")

# frame 2 selected: $pc and $sp are gdb's after its `frame 2`.
a = syms["runtime.newproc1"]
vals = golib.gdb_values(golib.gdb(hello, ["break *%#x" % a, "run", "frame 2",
                                          'printf "pc=%#lx\\n", $pc',
                                          'printf "sp=%#lx\\n", $sp'], env=ENV))
ev = t.bs_ok(hello, ["break *%#x" % a, "run", "frame 2", "p/x $pc", "p/x $sp"], env=ENV)
got = [int(p["hex"], 16) for p in ev if p.get("event") == "print"]
t.check("frame 2: $pc and $sp", got, [vals.get("pc"), vals.get("sp")])
t.check("frame 2: the frame event", (last(ev, "frame") or {}).get("level"), 2)

# Through runtime.systemstack: on g0, then on into goroutine 1.
a = syms["runtime.newproc1"]
stop = ["break *%#x" % a, "run", "continue", "continue"]
gf, out = gdb_frames(hello, stop)
g1, _ = gdb_frames(hello, stop + [
    "set $g1 = 'runtime.m0'.curg",
    'printf "sched.pc=%#lx\\n", $g1->sched.pc',
    "set $sp = $g1->sched.sp", "set $pc = $g1->sched.pc"])
sched = golib.gdb_values(golib.gdb(hello, stop + [
    'printf "sched_pc=%#lx\\n", \'runtime.m0\'.curg->sched.pc',
    'printf "goid=%ld\\n", \'runtime.m0\'.curg->goid'], env=ENV))
ev = t.bs_ok(hello, ["break *%#x" % a, "run", "continue", "continue", "bt"], env=ENV)
bt = last(ev, "backtrace")
if not bt:
    t.fail("no backtrace through runtime.systemstack")
else:
    ours = bs_frames(bt)
    k = next((i for i, f in enumerate(bt["frames"]) if f["how"] == "goroutine switch"), None)
    t.true("a goroutine switch in the frames", k is not None, str(bt["frames"]))
    if k is not None:
        t.check("the last frame on g0", ours[k - 1][2], "runtime.systemstack")
        same_frames("on g0", ours[:k], gf)
        t.check("the switch is to m0.curg's goroutine", bt["frames"][k]["goroutine"],
                sched.get("goid"))
        t.check("the switch starts at its g.sched.pc", ours[k][0], sched.get("sched_pc"))
        same_frames("on goroutine 1", ours[k:], g1)
        top("on goroutine 1", ours, "runtime.goexit")
        t.true("frames on g0 name no goroutine",
               all(f["goroutine"] is None for f in bt["frames"][:k]))

# goroutine 1 bt while goroutine 1 is parked (GOMAXPROCS=1).
a = syms["runtime.bgsweep"]
stop = ["break *%#x" % a, "run"]
ev = t.bs_ok(hello, stop + ["goroutine 1 bt", "bt", "goroutine 3 bt", "info g 1"], env=ENV)
bts = [e for e in ev if e.get("event") == "backtrace"]
g = last(ev, "g")
if len(bts) != 3 or not g:
    t.fail("goroutine N bt: %d backtraces" % len(bts))
else:
    t.check("goroutine 1 is parked", g.get("status_name"), "_Gwaiting")
    if os.path.exists(RUNTIME_GDB):
        gf, out = gdb_frames(hello, ["source " + RUNTIME_GDB] + stop,
                             dump="goroutine 1 frames-dump")
        what = "goroutine 1 bt (runtime-gdb.py's)"
    else:
        gf, out = gdb_frames(hello, stop + [
            "set $sp = ((struct 'runtime.g' *)%s)->sched.sp" % g["addr"],
            "set $pc = ((struct 'runtime.g' *)%s)->sched.pc" % g["addr"]])
        what = "goroutine 1 bt (g.sched by gdb)"
    ours = bs_frames(bts[0])
    t.true(what + ": gdb shows frames", len(gf) >= 3, out[-300:])
    same_frames(what, ours, gf)
    top(what, ours, "runtime.goexit")
    t.check("goroutine 1 bt names goroutine 1", bts[0].get("goroutine"), 1)
    t.check("goroutine 3 bt is bt of its thread", bs_frames(bts[2]), bs_frames(bts[1]))
    t.check("bgsweep runs as goroutine 3", bts[1]["frames"][0]["goroutine"], 3)

# Bad goroutine arguments: one error each.
for bad, msg in (("goroutine 999 bt", "no goroutine 999"),
                 ("goroutine x y", "invalid goroutine number 'x'"),
                 ("goroutine 1 list", "unknown goroutine subcommand 'list'; try goroutine N bt")):
    rc, ev, err = t.bs(hello, ["break runtime.main", "run", bad], env=ENV)
    errs = [e["message"] for e in ev if e.get("event") == "error"]
    t.check(bad + ": exit status", rc, 1)
    t.check(bad + ": the error", errs, [msg])

t.finish()
