#!/usr/bin/env python3
"""docs/architecture.md's module map matches the tree: every .c file of
debugger/, interp/ and ui/ is named under its folder in the map, every
name the map gives under a folder is a file there, and debugger/ includes
nothing of interp/ or ui/ (the engine knows no commands), interp/ nothing
of ui/.

Usage: arch_map.py SOURCE_ROOT"""
import os
import re
import sys

root = sys.argv[1]
doc = open(os.path.join(root, "docs", "architecture.md"), encoding="utf-8").read()
block = doc.split("```")[1]
failures = []

# "folder/  (…)" opens a folder; "  |   name[, name …] : text" names modules
folder, named = None, {}
for line in block.splitlines():
    m = re.match(r"^(\w+)/\s", line)
    if m:
        folder = m.group(1)
        named[folder] = set()
        continue
    m = re.match(r"^\s+\|\s{3}([a-z_][a-z_0-9]*(?:,\s*[a-z_][a-z_0-9]*)*)\s*:", line)
    if m and folder:
        for name in m.group(1).split(","):
            named[folder].add(name.strip())

for folder in ("debugger", "interp", "ui"):
    if folder not in named:
        failures.append("the map has no %s/ folder" % folder)
        continue
    files = {f[:-2] for f in os.listdir(os.path.join(root, folder)) if f.endswith(".c")}
    for f in sorted(files - named[folder]):
        failures.append("%s/%s.c is not in the module map" % (folder, f))
    for n in sorted(named[folder] - files):
        failures.append("the module map names %s/%s, which is not a file" % (folder, n))

# the layering the map draws, as the compiler sees it
for folder, banned in (("debugger", ("interp", "ui", "cmd.h", "event.h", "tui")),
                       ("interp", ("ui/", "tui", "render.h", "batch.h"))):
    d = os.path.join(root, folder)
    for f in sorted(os.listdir(d)):
        if not f.endswith((".c", ".h")):
            continue
        for no, line in enumerate(open(os.path.join(d, f), encoding="utf-8"), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m and any(b in m.group(1) for b in banned):
                failures.append("%s/%s:%d includes %s" % (folder, f, no, m.group(1)))
# the timeline is given the target, never the session
for f in sorted(os.listdir(os.path.join(root, "debugger"))):
    if f.startswith("timeline") and f.endswith((".c", ".h")):
        text = open(os.path.join(root, "debugger", f), encoding="utf-8").read()
        code = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        if '#include "session.h"' in code or re.search(r"\bdbg_session_\w+\s*\(", code):
            failures.append("debugger/%s uses the session" % f)

for f in failures:
    print("FAIL:", f, file=sys.stderr)
if failures:
    sys.exit(1)
print("the module map names the %d source files of debugger/, interp/ and ui/; the layers hold"
      % sum(len(v) for k, v in named.items() if k in ("debugger", "interp", "ui")))
