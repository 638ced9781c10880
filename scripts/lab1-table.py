#!/usr/bin/env python3
"""Lab 1's table of a Go binary's ELF sections, from `readelf -SW`.

    scripts/lab1-table.py GO-BINARY            print the page's block
    scripts/lab1-table.py GO-BINARY --write    rewrite it in the page
    scripts/lab1-table.py GO-BINARY --check    exit 1 if the page differs

The block sits in docs/labs/01-entry.md between the lines
`<!-- table: go build hello (readelf -S) -->` and `<!-- end table -->`:
one sentence naming the Go version (`go version GO-BINARY`), the LOAD
segments and the entry point (`readelf -lW`, `readelf -hW`, `readelf -sW`),
then the table of the sections the lab teaches, in file order. The page's
binary is the go suite's hello (`ninja -C build tests/go/hello`: `go build`
of tests/go/progs/gohello.go); tests/go/lab1table.py checks the page still
matches what the local toolchain builds.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(ROOT, "docs", "labs", "01-entry.md")
BEGIN = "<!-- table: go build hello (readelf -S) -->"
END = "<!-- end table -->"

# The sections the page teaches, with their meaning; a section the binary
# lacks (.typelink and .itablink are gone in later Go versions) is left out.
MEANING = [
    (".text", "code"),
    (".rodata", "read-only data"),
    (".typelink", "offsets of the type descriptors, for reflect"),
    (".itablink", "pointers to the interface tables (itabs) the linker built"),
    (".gopclntab", "PC → function/line table, for stack traces"),
    (".go.buildinfo", "Go version and build settings (what `go version` reads)"),
    (".noptrdata", "initialised data without pointers"),
    (".data", "initialised data with pointers"),
    (".bss", "zeroed data with pointers"),
    (".noptrbss", "zeroed data without pointers"),
]

SECTION_RE = re.compile(
    r"^\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s")


def run(argv):
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


def sections(binary):
    """{name: (address, size)} from readelf -SW."""
    found = {}
    for line in run(["readelf", "-SW", binary]).splitlines():
        m = SECTION_RE.match(line)
        if m:
            found[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
    return found


def segments(binary):
    """[(flags, address)] of the LOAD program headers, from readelf -lW."""
    out = []
    for line in run(["readelf", "-lW", binary]).splitlines():
        f = line.split()
        if f and f[0] == "LOAD":
            # LOAD Offset VirtAddr PhysAddr FileSiz MemSiz Flg... Align
            out.append((" ".join(f[6:-1]), int(f[2], 16)))
    return out


def entry(binary):
    """(entry address, symbol there or None), from readelf -hW and -sW."""
    m = re.search(r"Entry point address:\s+(0x[0-9a-f]+)", run(["readelf", "-hW", binary]))
    address = int(m.group(1), 16)
    for line in run(["readelf", "-sW", binary]).splitlines():
        f = line.split()
        if len(f) >= 8 and f[3] == "FUNC" and re.fullmatch(r"[0-9a-f]+", f[1]) \
                and int(f[1], 16) == address:
            return address, f[7]
    return address, None


def go_version(binary):
    """The Go version that built BINARY, from `go version BINARY`."""
    out = run(["go", "version", binary]).strip()
    return out.rsplit(": ", 1)[-1]


def block(binary):
    """The page's lines between the markers (the markers excluded), the
    last one blank."""
    version = go_version(binary)
    segs = segments(binary)
    at, symbol = entry(binary)
    words = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five"}
    seg_text = ", ".join("%s at %#x" % (flags, addr) for flags, addr in segs)
    lines = [
        "Made by `scripts/lab1-table.py` from the go suite's `hello` (`go build`",
        "of `tests/go/progs/gohello.go`); `go version hello` says **%s**." % version,
        "%s LOAD segments: %s;" % (words.get(len(segs), str(len(segs))), seg_text),
        "entry point %s%#x." % ("`%s` at " % symbol if symbol else "", at),
        "",
        "| section | address | size | meaning |",
        "| --- | --- | --- | --- |",
    ]
    have = sections(binary)
    for name, meaning in MEANING:
        if name in have:
            addr, size = have[name]
            lines.append("| %s | %#x | %#x | %s |" % (name, addr, size, meaning))
    # A blank line ends the table before the end marker.
    return lines + [""]


def page_block(text):
    """(before, block lines, after) of the page; ValueError without markers."""
    lines = text.split("\n")
    try:
        b = lines.index(BEGIN)
        e = lines.index(END, b + 1)
    except ValueError:
        raise ValueError("no %r ... %r in the page" % (BEGIN, END))
    return lines[:b + 1], lines[b + 1:e], lines[e:]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", help="a Go binary (the go suite's hello)")
    ap.add_argument("--page", default=PAGE, help="the lab page (default: %(default)s)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--write", action="store_true", help="rewrite the page's block")
    g.add_argument("--check", action="store_true", help="exit 1 if the page's block differs")
    a = ap.parse_args()

    new = block(a.binary)
    if not a.write and not a.check:
        print("\n".join(new))
        return 0
    with open(a.page) as f:
        text = f.read()
    try:
        before, old, after = page_block(text)
    except ValueError as e:
        print("%s: %s" % (a.page, e), file=sys.stderr)
        return 2
    if a.check:
        if old == new:
            return 0
        sys.stdout.writelines(difflib.unified_diff(
            [s + "\n" for s in old], [s + "\n" for s in new], "page", a.binary))
        return 1
    if old != new:
        with open(a.page, "w") as f:
            f.write("\n".join(before + new + after))
    return 0


if __name__ == "__main__":
    sys.exit(main())
