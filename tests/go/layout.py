#!/usr/bin/env python3
"""bootscope's table of Go runtime layouts (debugger/golayout, used for
binaries without DWARF) against the DWARF of real Go builds.

For the go1.19 hello of this suite, and for hello built by each other Go
toolchain on the machine (`go` and /usr/lib/go-1.*/bin/go): the table
entry of that release must hold, field by field, the offset and size that
the program's DWARF (read by readelf) gives, and the size of g, m, p and
schedt, and the length of p.runq. A toolchain whose release the table
lacks is named and skipped; without other toolchains only go1.19 is
checked (and the test says so).
"""
import json
import os
import subprocess
import tempfile

import golib

t = golib.Test(__doc__)
hello = t.program("hello")
t.need_tool("readelf")
if not t.args.golayout_dump:
    t.skip("no golayout-dump program")
out = subprocess.run([t.args.golayout_dump], capture_output=True, text=True, check=True).stdout
table = {e["release"]: e for e in map(json.loads, out.splitlines())}
t.true("the table covers go1.19", "go1.19" in table, sorted(table))


def check(prog, release):
    entry = table.get(release)
    if entry is None:
        print("skip: %s (%s) is not in bootscope's table (%s)" % (release, prog, ", ".join(table)))
        return
    dw = golib.DwarfTypes(prog)
    structs = {s: dw.struct("runtime." + s) for s in entry["sizes"]}
    for s, st in structs.items():
        t.check("%s: sizeof(runtime.%s)" % (release, s), entry["sizes"][s],
                dw.size(st) if st else None)
    for name, (off, size) in entry["fields"].items():
        s, path = name.split(".", 1)
        want = dw.field(structs[s], path) if structs[s] else None
        t.check("%s: runtime.%s.%s (offset, size)" % (release, s, path), (off, size),
                tuple(want) if want else None)
    t.check("%s: len(runtime.p.runq)" % release, entry["p_runq_len"],
            dw.array_len(structs["p"], "runq") if structs["p"] else None)


check(hello, "go1.19")
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "progs", "gohello.go")
others = [(go, rel) for go, rel in golib.go_toolchains() if rel != "go1.19"]
if not others:
    print("skip: no Go toolchain but go1.19 on this machine: only go1.19 is checked")
with tempfile.TemporaryDirectory() as tmp:
    for go, rel in others:
        prog = os.path.join(tmp, "hello-" + rel)
        golib.go_build(go, src, prog, "", tmp)
        check(prog, rel)
t.finish()
