#!/usr/bin/env python3
"""Lab 1's table of the Go hello's sections (docs/labs/01-entry.md, between
`<!-- table: go build hello (readelf -S) -->` and `<!-- end table -->`) is
what scripts/lab1-table.py makes from the suite's hello, so the page cannot
drift from the local toolchain. Independently of the script's parsing, each
row's address and size (.text and .bss at least) is checked against
`readelf -SW`, the entry point against `readelf -h`, where g0, m0 and
mainPC live (as the page says) against nm, and the rows against what
bootscope's `info sections` prints on the same binary.

The page names the Go version it was made with; when the suite's hello was
built by another one, the test skips. .gopclntab's file table holds the
source file's absolute path, so a checkout at a much longer or shorter path
changes its size (in steps of 0x20): when that row's size is the only
difference, the test says so and does not count it as drift.
"""
import difflib
import os
import re
import subprocess
import sys

import golib
from golib import of

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = os.path.join(ROOT, "docs", "labs", "01-entry.md")
SCRIPT = os.path.join(ROOT, "scripts", "lab1-table.py")
BEGIN = "<!-- table: go build hello (readelf -S) -->"
END = "<!-- end table -->"
REGEN = "regenerate it with: scripts/lab1-table.py build/tests/go/hello --write"

t = golib.Test(__doc__)
hello = t.program("hello")
for tool in ("readelf", "nm", "go"):
    t.need_tool(tool)

# ---- the page ----------------------------------------------------------------

text = open(PAGE).read().split("\n")
if BEGIN not in text or END not in text[text.index(BEGIN):]:
    t.fail("%s: no %r ... %r markers" % (PAGE, BEGIN, END))
    t.finish()
b = text.index(BEGIN)
page = text[b + 1:text.index(END, b)]
m = re.search(r"\*\*(go\d+\.\d+(?:\.\d+)?)\*\*", "\n".join(page))
if not m:
    t.fail("the page's table names no Go version (**goX.Y.Z**); " + REGEN)
    t.finish()
page_version = m.group(1)
built_by = subprocess.run(["go", "version", hello], capture_output=True, text=True,
                          check=True).stdout.strip().rsplit(": ", 1)[-1]
if built_by != page_version:
    t.skip("the page's table is from %s's hello, the local toolchain built hello with %s: "
           "the numbers cannot match (%s)" % (page_version, built_by, REGEN))
print("ok   the page's table and the suite's hello are both %s" % built_by)

rows = {}
for line in page:
    f = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(f) == 4 and f[0].startswith("."):
        rows[f[0]] = (int(f[1], 16), int(f[2], 16))
for name in (".text", ".rodata", ".gopclntab", ".data", ".bss"):
    t.true("the page's table has a %s row" % name, name in rows)


def source_path():
    """The path of gohello.go the compiler wrote into hello, or None."""
    with open(hello, "rb") as f:
        m = re.search(rb"/[\x21-\x7e]*?/gohello\.go", f.read())
    return m.group(0).decode() if m else None


def pclntab_only(old, new):
    """True when the two blocks differ only in .gopclntab's size."""
    diff = [(a, c) for a, c in zip(old, new) if a != c]
    if len(old) != len(new) or len(diff) != 1:
        return False
    a, c = (x.split("|") for x in diff[0])
    return len(a) == 6 and a[1].strip() == ".gopclntab" and a[:3] == c[:3] and a[4:] == c[4:]


# ---- the script on the suite's hello -------------------------------------------

r = subprocess.run([sys.executable, SCRIPT, hello], capture_output=True, text=True)
t.check("scripts/lab1-table.py exit status", r.returncode, 0)
made = r.stdout.rstrip("\n").split("\n") + [""]
if made == page:
    print("ok   the page's block is what scripts/lab1-table.py makes from hello")
elif pclntab_only(page, made):
    print("note .gopclntab's size differs from the page's, and nothing else does: the "
          "source path in hello is %r (%d bytes); a checkout at a path of another "
          "length changes that table" % (source_path(), len(source_path() or "")))
else:
    t.fail("the page's table differs from what the local %s makes (%s):\n%s" % (
        built_by, REGEN, "".join(difflib.unified_diff(
            [s + "\n" for s in page], [s + "\n" for s in made],
            "docs/labs/01-entry.md", "scripts/lab1-table.py hello"))))

# ---- readelf itself ------------------------------------------------------------

# Section header lines: "[Nr] Name Type Address Off Size ES Flg Lk Inf Al".
witness = {}
out = subprocess.run(["readelf", "-SW", hello], capture_output=True, text=True,
                     check=True).stdout
for line in out.splitlines():
    if "]" not in line or not line.lstrip().startswith("["):
        continue
    f = line.split("]", 1)[1].split()
    if len(f) >= 5 and f[0].startswith("."):
        witness[f[0]] = (int(f[2], 16), int(f[4], 16))
for name, (addr, size) in sorted(rows.items(), key=lambda kv: kv[1]):
    if name not in witness:
        t.fail("%s is in the page's table but not in readelf -SW hello" % name)
        continue
    t.check(name + " address (page, readelf -SW)", addr, witness[name][0])
    if name == ".gopclntab" and size != witness[name][1] and (size - witness[name][1]) % 0x20 == 0:
        print("note .gopclntab size: page %#x, readelf %#x (source path %r)"
              % (size, witness[name][1], source_path()))
        continue
    t.check(name + " size (page, readelf -SW)", size, witness[name][1])

m = re.search(r"entry point (?:`\S+` at )?(0x[0-9a-f]+)", "\n".join(page))
t.true("the page's block names the entry point", m is not None)
if m:
    t.check("entry point (page, readelf -h)", int(m.group(1), 16), golib.readelf_entry(hello))

# ---- where the page says g0, m0 and mainPC live ----------------------------------

syms = golib.nm(hello)


def section_of(address):
    for name, (a, size) in witness.items():
        if a and a <= address < a + size:
            return name
    return None


for sym, want in (("runtime.g0", ".bss"), ("runtime.m0", ".bss"), ("runtime.mainPC", ".rodata")):
    t.check(sym + "'s section (nm, readelf -SW)", section_of(syms.get(sym, 0)), want)

# ---- bootscope's info sections prints the same rows ------------------------------

events = t.bs_ok(hello, ["info sections"])
secs = golib.last(events, "sections")
t.true("info sections answers with a sections event", secs is not None)
if secs:
    shown = {s["name"]: (int(s["addr"], 16), s["size"]) for s in secs["sections"]}

    def span(v):
        return None if v is None else "%#x-%#x" % (v[0], v[0] + v[1])

    for name in rows:
        t.check(name + " start-end (info sections, readelf -SW)", span(shown.get(name)),
                span(witness.get(name)))
t.true("no error event", not of(events, "error"))

t.finish()
