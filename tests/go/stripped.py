#!/usr/bin/env python3
"""hello built without symbols (-ldflags=-s) and without DWARF (-w).

-s: the function names come from Go's pclntab: --list-stages lists the
same stages at the same addresses as the unstripped build (whose code is
the same bytes at the same addresses), with a note saying where the names
come from; break main.main stops at the unstripped build's nm address;
what needs no symbols works as before: the entry stop at readelf's
e_entry, registers, x/i against objdump, stepping, `break *ADDR`. The
G/M/P view has no globals to start from (allgs, allm, allp have no
names): it shows what the current g leads to, from bootscope's offsets
table, and says so: at main.main g1, running, on m0 (the M the unstripped
build's m0 symbol names) with m0's g0 (runtime.g0 there).

info target, on all three: where the names come from, DWARF or not, the
entry, and the Go version equal to what `go version FILE` reads.

-w: stages and symbols work (break main.main stops at nm's address); the
G/M/P view, info g and the label of the g at fs:-8 come from bootscope's
table of layouts for the binary's Go release (nodwarf.py compares them
with the DWARF build's), and say so.
"""
import re
import shutil
import subprocess

import golib
from golib import addr, last, of

t = golib.Test(__doc__)
hello = t.program("hello")
hello_s = t.program("hello-s")
hello_w = t.program("hello-w")
for tool in ("nm", "readelf", "objdump"):
    t.need_tool(tool)


def errors(events):
    return [e["message"] for e in of(events, "error")]


# ---- -s ------------------------------------------------------------------------
full = golib.nm(hello)
rc, events, err = t.bs(hello_s, [], extra=["--list-stages"])
t.check("-s: --list-stages exit status", rc, 0)
st_s = last(events, "stages")
rc, events, err = t.bs(hello, [], extra=["--list-stages"])
st_full = last(events, "stages")
t.true("-s: --list-stages notes that the names come from the pclntab",
       st_s is not None and "pclntab" in (st_s.get("symbols_note") or ""), str(st_s)[:300])
t.check("-s: the stages and their addresses are the unstripped build's",
        [(s["name"], addr(s["addr"])) for s in st_s["stages"]] if st_s else None,
        [(s["name"], addr(s["addr"])) for s in st_full["stages"]] if st_full else None)
t.check("-s: each function stage sits at nm's address in the unstripped build",
        [addr(s["addr"]) for s in st_s["stages"] if s["name"] in full] if st_s else None,
        [full[s["name"]] for s in st_s["stages"] if s["name"] in full] if st_s else None)
t.true("-s: the unstripped build has no symbols_note", st_full is not None and
       "symbols_note" not in st_full)
ev = t.bs_ok(hello_s, ["break main.main", "run"])
stop = last(ev, "stop")
t.check("-s: break main.main stops at the unstripped build's nm address",
        addr(stop["pc"]) if stop else None, full["main.main"])
t.true("-s: the stop names the stage", stop is not None and stop["stage"] == "main.main")

entry = golib.readelf_entry(hello_s)
t.check("-s and the full build have the same entry", golib.readelf_entry(hello), entry)
first = golib.objdump(hello_s, start=entry, stop=entry + 16)
ev = t.bs_ok(hello_s, ["starti", "info registers rip rsp", "x/3i $pc", "stepi 100",
                       "info tls"])
stop = of(ev, "stop")
t.check("-s: starti stops at readelf's e_entry", addr(stop[0]["pc"]) if stop else None, entry)
regs = last(ev, "registers")
t.check("-s: info registers rip", addr(regs["regs"]["rip"]) if regs else None, entry)
x = last(ev, "x")
t.check("-s: x/3i at the entry: addresses as objdump",
        [addr(i["addr"]) for i in x["items"]] if x else None, [a for a, _ in first[:3]])
t.check("-s: x/3i: mnemonics as objdump",
        [i["text"].split()[0] for i in x["items"]] if x else None,
        [text.split()[0] for _, text in first[:3]])
t.check("-s: x/3i: the entry's jump target as objdump",
        int(x["items"][0]["text"].split()[-1], 16) if x else None,
        int(first[0][1].split()[1], 16))
t.check("-s: stepi 100 counts 100 steps", stop[-1]["steps"] if len(stop) > 1 else None, 100)
t.true("-s: the stop after 100 steps names a boot stage",
       len(stop) > 1 and stop[-1]["stage"] is not None)

# Same code at the same addresses: main.main's address from the full build.
mm = full["main.main"]
prologue = golib.file_bytes(hello, mm, 20)
t.true("-s: main.main's prologue (20 bytes) is at the same address as in the full build",
       prologue is not None and golib.file_bytes(hello_s, mm, 20) == prologue)
ev = t.bs_ok(hello_s, ["break *%#x" % mm, "run", "info tls"])
stop = last(ev, "stop")
t.check("-s: break *ADDR stops there", addr(stop["pc"]) if stop else None, mm)
tls = last(ev, "tls")
# Where settls points FS, from the stripped binary's own code: rt0_go
# (reached from the entry by two jumps) loads &m0.tls[0] into rdi just
# before the call that is followed by the store of 0x123 through %fs:-8.
rt0 = golib.objdump(hello_s, start=entry, stop=entry + 8)[0][1]
rt0 = golib.objdump(hello_s, start=int(rt0.split()[1], 16), stop=int(rt0.split()[1], 16) + 16)
rt0_go = int([text for _, text in rt0 if text.startswith("jmp")][0].split()[1], 16)
code = golib.objdump(hello_s, start=rt0_go, stop=rt0_go + 0x200)
m0tls = None
for i in range(len(code) - 2):
    lea = re.match(r"lea\s+\S+\(%rip\),%rdi\s+# (?:0x)?([0-9a-f]+)", code[i][1])
    if lea and code[i + 1][1].startswith("call") and "$0x123,%fs:" in code[i + 2][1]:
        m0tls = int(lea.group(1), 16)
t.true("-s: objdump finds the settls sequence in rt0_go", m0tls is not None)
t.check("-s: info tls: fs_base is what rt0_go passes to settls, + 8",
        addr(tls["fs_base"]) if tls else None, (m0tls or 0) + 8)
gmp = last(t.bs_ok(hello_s, ["break *%#x" % mm, "run", "info gmp"]), "gmp")
t.true("-s: info gmp says the view is partial and where the offsets come from",
       gmp is not None and gmp["partial"] is True and gmp["layout"].endswith(" table"),
       str(gmp)[:300])
if gmp:
    cur = [g for g in gmp["g"] if g["current"]]
    t.check("-s: the current g is goroutine 1, running",
            [(g["label"], g["goid"], g["status_name"]) for g in cur], [("g1", 1, "_Grunning")])
    t.check("-s: its M is the unstripped build's runtime.m0",
            [addr(m["addr"]) for m in gmp["m"]], [full["runtime.m0"]])
    t.check("-s: m0's g0 is the unstripped build's runtime.g0",
            [addr(m["g0"]) for m in gmp["m"]], [full["runtime.g0"]])
    t.check("-s: runtime.g0 is labelled g0",
            [g["label"] for g in gmp["g"] if addr(g["addr"]) == full["runtime.g0"]], ["g0"])

# ---- -w ------------------------------------------------------------------------
syms_w = golib.nm(hello_w)
ev = t.bs_ok(hello_w, ["break main.main", "run", "info tls", "info threads"])
stop = last(ev, "stop")
t.check("-w: break main.main stops at nm's address", addr(stop["pc"]) if stop else None,
        syms_w["main.main"])
t.true("-w: the stop names the stage", stop and stop["stage"] == "main.main")
t.true("-w: the g at fs:-8 is shown", stop and addr(stop["g"]) not in (None, 0))
t.check("-w: it is labelled through the table of layouts", stop and stop["g_label"], "g1")
for cmd, event in (("info gmp", "gmp"), ("info g", "g")):
    ev = t.bs_ok(hello_w, ["break main.main", "run", cmd])
    t.true("-w: %s says its offsets come from the table" % cmd,
           (last(ev, event) or {}).get("layout", "").endswith(" table"), str(last(ev, event))[:200])
ev = t.bs_ok(hello_w, ["break runtime.schedinit", "run"])
stop = last(ev, "stop")
t.check("-w: at schedinit the g is nm's runtime.g0, labelled by its symbol",
        (addr(stop["g"]), stop["g_label"]) if stop else None, (syms_w["runtime.g0"], "g0"))

# ---- info target: the Go version against `go version FILE` ----------------------
for name, prog, symbols, dwarf in (("full", hello, "symtab", True), ("-s", hello_s, "pclntab", False),
                                   ("-w", hello_w, "symtab", False)):
    target = last(t.bs_ok(prog, ["info target"]), "target")
    t.check("%s: info target: where the names come from" % name,
            target and target["symbols"], symbols)
    t.check("%s: info target: DWARF" % name, target and target["dwarf"], dwarf)
    t.check("%s: info target: the entry is readelf's" % name,
            target and addr(target["entry"]), golib.readelf_entry(prog))
    if shutil.which("go"):
        r = subprocess.run(["go", "version", prog], capture_output=True, text=True, timeout=60)
        want = r.stdout.split(": ", 1)[1].split()[0] if r.returncode == 0 and ": " in r.stdout else None
        t.check("%s: info target: the Go version is what `go version` reads" % name,
                target and target.get("go_version"), want)
        ev = t.bs_ok(prog, ["starti", "info stages"])
        t.check("%s: the first stop names the same Go version" % name,
                [e.get("go_version") for e in of(ev, "stop")][:1], [want])
        t.check("%s: info stages names it too" % name,
                (last(ev, "stages") or {}).get("go_version"), want)
t.finish()
