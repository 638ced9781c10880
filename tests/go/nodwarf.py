#!/usr/bin/env python3
"""The G/M/P view of hello built without DWARF (-ldflags=-w) equals the
DWARF build's.

Both programs run the same commands under GOMAXPROCS=1: break
runtime.main, run, info gmp, info threads, info tls, info g; break
main.main, continue, the same views. The -w build's offsets come from
bootscope's table for its Go release, the full build's from DWARF, and
each view says which (`layout`). What differs between two runs of two
files is replaced by what it stands for first: an address of a decoded
g, m or p by that object's name, other addresses (stacks, globals, which
the two files place a few bytes apart) by whether they are 0, a pc by its
symbol (compared as its own key), thread ids by whether they are 0; a
thread's pc and system call are left out, and of a stop only its stage and
its g are compared.

At runtime.main the program has one thread, and every view must be equal.
At main.main sysmon and the idle Ms have started, and how far each got
differs from run to run (whatever the binary): there the current g, the
goroutines of allgs and the P's run queue must be equal. The stops label
the current g the same way (g1 at main.main), and the text view says once
where the offsets came from.
"""
import os
import subprocess

import golib
from golib import of

t = golib.Test(__doc__)
hello = t.program("hello")
hello_w = t.program("hello-w")

CMDS = ["break runtime.main", "run", "info gmp", "info threads", "info tls", "info g",
        "break main.main", "continue", "info gmp", "info threads", "info tls", "info g"]
env = dict(os.environ, GOMAXPROCS="1")


def names(ev):
    """address → what it is, from the decoded gmp events."""
    n = {}
    for e in of(ev, "gmp"):
        for g in e["g"]:
            n[g["addr"]] = "g " + g["label"]
        for m in e["m"]:
            n[m["addr"]] = "m%d" % m["id"]
        for p in e["p"]:
            n[p["addr"]] = "p%d" % p["id"]
    return n


def norm(v, n, key=""):
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k in ("layout", "rip", "symbol", "syscall") or k.endswith("_pc") or k == "startpc":
                continue
            # g.waitreason is read through DWARF only (golayout's table lacks it)
            if k in ("waitreason", "waitreason_name"):
                continue
            out[k] = norm(x, n, k)
        return out
    if isinstance(v, list):
        return [norm(x, n, key) for x in v]
    if key in ("procid", "tid"):
        return "tid" if v else 0
    if isinstance(v, str) and v.startswith("0x"):
        return n.get(v, "0x0" if int(v, 16) == 0 else "addr")
    return v


def views(prog):
    ev = t.bs_ok(prog, CMDS, env=env)
    n = names(ev)
    kinds = ("stop", "gmp", "threads", "tls", "g")
    return ev, [(e["event"], norm(e, n)) for e in ev if e.get("event") in kinds]


ev_full, full = views(hello)
ev_w, w = views(hello_w)
t.check("the views of the DWARF build say so", sorted({e.get("layout") for e in ev_full
                                                        if e.get("event") in ("gmp", "g")}),
        ["dwarf"])
t.check("the views of the -w build name the table they come from",
        sorted({e.get("layout") for e in ev_w if e.get("event") in ("gmp", "g", "threads",
                                                                   "tls")}),
        ["go1.19 table"])
t.check("the same views, in the same order", [k for k, _ in w], [k for k, _ in full])
t.true("two gmp views each", len(of(ev_full, "gmp")) == 2 and len(of(ev_w, "gmp")) == 2)


def settled(kind, v):
    """What of a view at main.main does not depend on the other threads."""
    if kind == "gmp":
        return {"current_g_label": v["current_g_label"],
                "goroutines": [g for g in v["g"] if g["label"][1:].isdigit()
                               and g["label"] != "g0"],
                "p": [{k: p[k] for k in ("id", "status_name", "runq", "runnext_goid")}
                      for p in v["p"]]}
    if kind == "threads":
        return [th for th in v["threads"] if th["current"]]
    if kind == "tls":
        return {k: v[k] for k in ("g", "g_label", "m_id", "fs_is_m0_tls") if k in v}
    return v


at_main = False
for i, ((kind, a), (_, b)) in enumerate(zip(w, full)):
    if kind == "stop":
        at_main = a.get("stage") == "main.main"
    if kind == "stop":  # registers and step counts are not the decoder's
        a, b = ({k: v[k] for k in ("stage", "g", "g_label")} for v in (a, b))
    elif at_main:
        a, b = settled(kind, a), settled(kind, b)
    t.check("view %d (%s%s): -w equals the DWARF build" % (i, kind, " at main.main" if at_main
                                                            else ""), a, b)
stops_w = [(s["stage"], s["g_label"]) for s in of(ev_w, "stop")]
stops_full = [(s["stage"], s["g_label"]) for s in of(ev_full, "stop")]
t.check("the stops label the current g as the DWARF build does", stops_w, stops_full)
t.true("at main.main the current g is g1", ("main.main", "g1") in stops_w, str(stops_w))

r = subprocess.run([t.bootscope, "--batch", "-ex", "break main.main", "-ex", "run", "-ex",
                    "info gmp", "--", hello_w], capture_output=True, text=True, env=env,
                   timeout=240)
t.true("the text view says once that the offsets come from the table for go1.19",
       r.stdout.count("table for go1.19") == 1 and "no DWARF" in r.stdout, r.stdout[:400])
r = subprocess.run([t.bootscope, "--batch", "-ex", "break main.main", "-ex", "run", "-ex",
                    "info gmp", "--", hello], capture_output=True, text=True, env=env,
                   timeout=240)
t.true("the DWARF build's text view has no such line", "table for" not in r.stdout,
       r.stdout[:400])
t.finish()
