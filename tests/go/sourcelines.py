#!/usr/bin/env python3
"""Source lines of a real Go binary (hello, go build), gdb as the witness:
info line of runtime functions, list of runtime.mallocinit (Go's own
sources, found in the local GOROOT), and the file:line sequences of step
and next from a breakpoint in runtime.mallocinit."""
import re

from golib import Test, of

t = Test(__doc__)
t.need_tool("gdb")
prog = t.program("hello")
LINE = re.compile(r'^Line (\d+) of "([^"]*)" starts at address (0x[0-9a-f]+) .* and ends at (0x[0-9a-f]+)',
                  re.M)


def gdb_lines(cmds):
    return [(m.group(2), int(m.group(1)), int(m.group(3), 16), int(m.group(4), 16))
            for m in LINE.finditer(gdb_text(cmds))]


def gdb_text(cmds):
    from golib import gdb
    return gdb(prog, cmds)


# info line: the same rows as gdb's
funcs = ["runtime.mallocinit", "runtime.rt0_go", "main.main", "runtime.mstart", "runtime.newproc"]
want = gdb_lines(["info line " + f for f in funcs])
ev = t.bs_ok(prog, ["info line " + f for f in funcs])
got = [(e["file"], e["line"], int(e["start"], 16), int(e["end"], 16)) for e in of(ev, "line")]
t.check("info line of %d functions" % len(funcs), got, want)

# list: the lines gdb lists, read from the local GOROOT
text = gdb_text(["list runtime.mallocinit"])
want = [int(m.group(1)) for m in re.finditer(r"^(\d+)\t", text, re.M)]
ev = t.bs_ok(prog, ["list runtime.mallocinit"])
lst = of(ev, "list")[0]
t.check("list runtime.mallocinit: lines", [l["line"] for l in lst["lines"]], want)
t.true("list runtime.mallocinit: the definition is shown",
       any("func mallocinit()" in l["text"] for l in lst["lines"]), str(lst["lines"]))
t.true("list: the source file exists at its path", lst["path"].endswith("/src/runtime/malloc.go"),
       lst["path"])

# step and next: the same file:line sequence as gdb
for cmd, n in (("step", 20), ("next", 20)):
    gcmds = ["break runtime.mallocinit", "run"]
    for _ in range(n):
        gcmds += [cmd, "info line *$pc"]
    want = ["%s:%d" % (f, l) for f, l, _, _ in gdb_lines(gcmds)]
    ev = t.bs_ok(prog, ["break runtime.mallocinit", "run"] + [cmd] * n)
    got = ["%s:%s" % (e.get("file"), e.get("line")) for e in of(ev, "stop")
           if e["reason"] != "breakpoint"]
    t.true("%s from runtime.mallocinit: gdb stopped %d times" % (cmd, len(want)), len(want) >= 10)
    t.check("%s x%d from runtime.mallocinit: file:line" % (cmd, n), got, want)

t.finish()
