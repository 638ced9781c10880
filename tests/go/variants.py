#!/usr/bin/env python3
"""Every kind of Go binary a student can bring, against gdb.

hello built -s, -w and -s -w (their twin with symbols and DWARF: hello),
with -buildmode=pie, and two cgo builds (import "C", linked by the C
toolchain; one with C thread-locals, which move g's TLS slot). At
runtime.main and main.main bootscope's stop gives the pc, fs_base and g,
and its G/M/P view g's goid and status; gdb gives them at the same stop
of its own run of the twin: pc and fs_base, g from r14 (Go's register ABI
keeps the current g in r14 at a Go function's entry, so the TLS slot
bootscope reads is checked by another route), goid and atomicstatus
through DWARF.

Stage lists: in boot order, function stages at the twin's nm addresses
(plus the load bias of a PIE), the cgo path named where it exists
(_start, main, rt0_go.cgo_init, and no settls stages), the loader first
in a dynamic binary, at the run-time address gdb's starti stops at.

cgo with C thread-locals: g's slot is where readelf puts runtime.tlsg
(its offset in the PT_TLS block, which sits right below the thread
pointer); at main.main every M whose procid is set is the thread with
that id, and the current thread is m0.
"""
import os
import re
import subprocess

import golib
from golib import addr, last, of

t = golib.Test(__doc__)
t.need_tool("gdb")
t.need_tool("nm")
t.need_tool("readelf")
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GOMAXPROCS": "1",
       "GODEBUG": "asyncpreemptoff=1"}
G_RUNNING = 2

VARIANTS = [("hello-s", "hello"), ("hello-w", "hello"), ("hello-sw", "hello"),
            ("hello-pie", "hello-pie"), ("cgo", "cgo"), ("cgo-tls", "cgo-tls")]
progs = {}
for name, twin in VARIANTS:
    if name in t.programs and twin in t.programs:
        progs[name] = (t.program(name), t.program(twin))
if not progs:
    t.skip("no Go toolchain: the Go programs were not built")
if "cgo" not in progs:
    print("note: no cgo programs (no C compiler when the suite was configured)")


def bs_view(prog, fn):
    ev = t.bs_ok(prog, ["break " + fn, "run", "info gmp"], env=ENV)
    stop, gmp = last(ev, "stop"), last(ev, "gmp")
    if not stop:
        t.fail("%s: bootscope did not stop at %s" % (os.path.basename(prog), fn))
        return {}
    g = addr(stop["g"]) or 0
    cur = [x for x in (gmp or {}).get("g", []) if addr(x["addr"]) == g]
    return {"pc": addr(stop["pc"]), "fs_base": addr(stop["fs_base"]), "g": g,
            "goid": cur[0]["goid"] if cur else None,
            "status": cur[0]["status"] if cur else None,
            "label": stop["g_label"], "stage": stop["stage"]}


def gdb_view(prog, fn):
    out = golib.gdb(prog, [
        "break *'%s'" % fn, "run",
        'printf "pc=%#lx\\n", $pc',
        'printf "fs_base=%#lx\\n", $fs_base',
        'printf "g=%#lx\\n", $r14',
        "printf \"goid=%ld\\n\", ((struct 'runtime.g' *)$r14)->goid",
        "printf \"status=%u\\n\", ((struct 'runtime.g' *)$r14)->atomicstatus",
    ], env=ENV)
    return golib.gdb_values(out), out


for name, (prog, twin) in progs.items():
    for fn in ("runtime.main", "main.main"):
        b = bs_view(prog, fn)
        g, text = gdb_view(twin, fn)
        if "pc" not in g:
            t.fail("gdb did not stop at %s in %s: %s" % (fn, twin, text[-400:]))
            continue
        for k in ("pc", "fs_base", "g", "goid", "status"):
            t.check("%s at %s: %s (gdb on %s)" % (name, fn, k, os.path.basename(twin)),
                    b.get(k), g.get(k))
        t.check("%s at %s: goroutine 1 runs" % (name, fn),
                (b.get("goid"), b.get("status"), b.get("label")), (1, G_RUNNING, "g1"))
        t.check("%s at %s: the stop names the stage" % (name, fn), b.get("stage"), fn)


# ---- stage lists -------------------------------------------------------------


def readelf_dynamic(prog):
    out = subprocess.run(["readelf", "-lW", prog], capture_output=True, text=True,
                         check=True).stdout
    return "INTERP" in out


def gdb_starti_pc(prog):
    out = golib.gdb(prog, ["starti", 'printf "pc=%#lx\\n", $pc'], env=ENV)
    return golib.gdb_values(out).get("pc")


for name, (prog, twin) in progs.items():
    rc, events, err = t.bs(prog, [], extra=["--list-stages"], env=ENV)
    t.check("%s: --list-stages exit status" % name, rc, 0)
    st = last(events, "stages")
    if not st:
        t.fail("%s: no stage list: %s" % (name, err.strip()))
        continue
    names = [s["name"] for s in st["stages"]]
    addrs = [addr(s["addr"]) for s in st["stages"]]
    dynamic = readelf_dynamic(prog)
    cgo = name.startswith("cgo")
    syms = golib.nm(twin)
    bias = 0
    if dynamic:
        t.check("%s: a dynamic binary's first stage is its loader" % name, names[:1], ["ld.so"])
        t.check("%s: the loader stage is where gdb's starti stops" % name,
                addrs[0] if addrs else None, gdb_starti_pc(prog))
        ev = t.bs_ok(prog, ["starti", "info target"], env=ENV)
        stop = last(ev, "stop")
        t.check("%s: starti stops at the loader stage" % name,
                stop and (addr(stop["pc"]), stop["stage"]), (addrs[0], "ld.so"))
    if name == "hello-pie":
        entry = golib.readelf_entry(prog)
        run_entry = addrs[names.index("_rt0_amd64_linux")] if "_rt0_amd64_linux" in names else None
        bias = (run_entry - entry) if run_entry else 0
        t.true("hello-pie: the stages are at run-time addresses (a load bias above the link-time ones)",
               bias > 0 and bias % 4096 == 0, "bias %#x" % bias)
        t.true("hello-pie: no link-time note once started", "addresses_note" not in st)
    for s in st["stages"]:
        want, _ = golib.nm_body(syms, s["name"])
        if want is not None and s["name"] not in ("ld.so",):
            t.check("%s: stage %s at nm's address" % (name, s["name"]), addr(s["addr"]), want + bias)
    order = [n for n in names if not n.startswith("rt0_go.")]
    t.true("%s: function stages in boot order (addresses of rt0_go's callees aside)" % name,
           order.index("runtime.rt0_go") < order.index("runtime.check") < order.index("runtime.main")
           < order.index("main.main"), str(order))
    if cgo:
        t.check("%s: libc's start-up comes first" % name, names[1:4],
                ["_start", "main", "runtime.rt0_go"])
        t.true("%s: rt0_go's cgo path is named" % name, "rt0_go.cgo_init" in names, str(names))
        for absent in ("rt0_go.settls", "runtime.settls", "rt0_go.tls_check"):
            t.true("%s: no %s (a cgo rt0_go never runs it)" % (name, absent), absent not in names)
        # the cgo_init stage is the indirect call rt0_go makes through _cgo_init
        rt0 = golib.objdump(prog, symbol="runtime.rt0_go.abi0")
        calls = [a for a, text in rt0 if re.match(r"call\s+\*%", text)]
        t.check("%s: rt0_go.cgo_init is objdump's first indirect call in rt0_go" % name,
                addrs[names.index("rt0_go.cgo_init")] if "rt0_go.cgo_init" in names else None,
                calls[0] if calls else None)
    else:
        t.true("%s: settls stages kept" % name, "runtime.settls" in names and
               "rt0_go.tls_check" in names, str(names))

# ---- cgo with C thread-locals: the g slot and threads -> Ms ------------------
if "cgo-tls" in progs:
    prog = progs["cgo-tls"][0]
    out = subprocess.run(["readelf", "-lsW", prog], capture_output=True, text=True,
                         check=True).stdout
    tls = re.search(r"^\s+TLS\s+\S+\s+(0x[0-9a-f]+)\s+\S+\s+\S+\s+(0x[0-9a-f]+)\s+\S+\s+(0x[0-9a-f]+)",
                    out, re.M)
    tlsg = re.search(r"^\s*\d+:\s+([0-9a-f]+)\s+\d+\s+TLS\s+\S+\s+\S+\s+\S+\s+runtime\.tlsg$", out, re.M)
    t.true("cgo-tls: readelf shows a PT_TLS segment and runtime.tlsg", tls and tlsg)
    if tls and tlsg:
        vaddr, memsz, align = (int(tls.group(i), 16) for i in (1, 2, 3))
        first = -vaddr & (align - 1)
        block = (memsz - first + align - 1) // align * align + first
        want_off = int(tlsg.group(1), 16) - block
        t.true("cgo-tls: the C thread-locals put g below fs:-8", want_off < -8, "%d" % want_off)
        ev = t.bs_ok(prog, ["break main.main", "run", "info tls", "info threads", "info gmp"],
                     env=ENV)
        tl, threads, gmp = last(ev, "tls"), last(ev, "threads"), last(ev, "gmp")
        t.check("cgo-tls: info tls: g's offset is readelf's", tl and tl["g_offset"], want_off)
        t.check("cgo-tls: info tls: libc owns fs", tl and tl["owner"], "libc")
        t.check("cgo-tls: info tls: the slot", tl and addr(tl["g_slot"]),
                tl and addr(tl["fs_base"]) + want_off)
        t.check("cgo-tls: g1 at main.main", tl and tl["g_label"], "g1")
        t.check("cgo-tls: the current thread is m0", tl and tl["m_id"], 0)
        if threads and gmp:
            by_tid = {th["tid"]: th for th in threads["threads"]}
            ms = [m for m in gmp["m"] if m["procid"]]
            t.true("cgo-tls: some Ms have a thread id", len(ms) >= 1)
            for m in ms:
                th = by_tid.get(m["procid"])
                t.check("cgo-tls: the thread with m%d's procid is m%d" % (m["id"], m["id"]),
                        th and th.get("m_id"), m["id"])
t.finish()
