#!/usr/bin/env python3
"""The method of gosrclayout.py (Go's size and alignment rules applied to
a release's runtime sources) against bootscope's table of Go runtime
layouts (debugger/golayout), so that the method stays checked.

For each Go toolchain on the machine (`go` and /usr/lib/go-1.*/bin/go)
whose release the table covers, the layout computed from that
toolchain's GOROOT/src must be the table's entry, field by field: the
sizes of g, m, p and schedt, the length of p.runq and the offset and
size of every field the decoder reads. The table's entries were read
from DWARF (tests/go/layout.py checks that), so agreement here shows
the method reproduces what the compiler did.
"""
import json
import os
import subprocess

import golib
import gosrclayout

t = golib.Test(__doc__)
if not t.args.golayout_dump:
    t.skip("no golayout-dump program")
out = subprocess.run([t.args.golayout_dump], capture_output=True, text=True, check=True).stdout
table = {e["release"]: e for e in map(json.loads, out.splitlines())}

checked = 0
for go, rel in golib.go_toolchains():
    entry = table.get(rel)
    if entry is None:
        print("skip: %s (%s) is not in bootscope's table (%s)" % (rel, go, ", ".join(table)))
        continue
    goroot = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True,
                            env=dict(os.environ, GOTOOLCHAIN="local"), timeout=60).stdout.strip()
    src = os.path.join(goroot, "src")
    if not os.path.isdir(os.path.join(src, "runtime")):
        print("skip: %s has no sources at %s" % (rel, src))
        continue
    got = gosrclayout.runtime_layout(src)
    for s, size in entry["sizes"].items():
        t.check("%s: sizeof(runtime.%s) from %s" % (rel, s, src), got["sizes"][s], size)
    t.check("%s: len(runtime.p.runq)" % rel, got["p_runq_len"], entry["p_runq_len"])
    for name, want in entry["fields"].items():
        t.check("%s: runtime.%s (offset, size)" % (rel, name), tuple(got["fields"][name]),
                tuple(want))
    checked += 1
if not checked:
    t.skip("no Go toolchain with sources whose release the table covers")
t.finish()
