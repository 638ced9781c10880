#!/usr/bin/env python3
"""Threads of a real Go program: every M the runtime cloned is followed,
and each thread's fs_base and g are shown and labelled.

At main.main of a program with goroutines: each traced thread (ids from
ptrace) is an M of runtime.allm whose procid (written by the thread itself
from gettid) is that id; its fs_base is &m.tls[0] + 8 (the offset of tls
read by gdb from DWARF); its g is m.tls[0]; an idle M's own g0 is
labelled m<id>.g0; info threads and info gmp agree.

At runtime.sysmon the stop is on sysmon's thread: info tls, info g and
the stop name m1.g0 and M 1, and gdb, stopped at the same place in its own
run, reads the same fs_base, g and M id. bootscope gets there without a
race: it steps the parent over clone's syscall (objdump tells how many
instructions away it is), switches to the child with `thread $rax` and
steps only the child. `thread runtime.m0.procid` switches back to the
main thread, where info tls names m0.
"""
import os

import golib
from golib import addr, last, of

t = golib.Test(__doc__)
prog = t.program("goroutines")
hello = t.program("hello")
t.need_tool("gdb")
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GODEBUG": "asyncpreemptoff=1"}

out = golib.gdb(prog, ['printf "tls_off=%ld\\n", '
                       "(long)&((struct 'runtime.m' *)0)->tls[0]",
                       'printf "g0_off=%ld\\n", '
                       "(long)&((struct 'runtime.m' *)0)->g0"])
offs = golib.gdb_values(out)
if "tls_off" not in offs:
    t.fail("gdb cannot read struct runtime.m: " + out[-300:])
    t.finish()
tls_off = offs["tls_off"]


def label_for(g, ms, gs):
    for m in ms:
        if addr(m["g0"]) == g:
            return "g0" if m["id"] == 0 else "m%d.g0" % m["id"]
    for x in gs:
        if addr(x["addr"]) == g:
            return "g%d" % x["goid"]
    return None


for run in range(2):
    ev = t.bs_ok(prog, ["break main.main", "run", "info threads", "info gmp"], env=ENV)
    threads, gmp = last(ev, "threads"), last(ev, "gmp")
    if not threads or not gmp:
        t.fail("no threads/gmp event at main.main")
        continue
    ms = gmp["m"]
    t.true("run %d: more than one thread at main.main (sysmon at least)" % run,
           len(threads["threads"]) > 1, str(threads["threads"]))
    t.true("run %d: no more threads than Ms" % run,
           len(threads["threads"]) <= len(ms), "%d threads, %d Ms" % (len(threads["threads"]), len(ms)))
    for th in threads["threads"]:
        tid, fs = th["tid"], addr(th["fs_base"])
        mine = [m for m in ms if addr(m["addr"]) + tls_off + 8 == fs]
        if len(mine) != 1:
            t.fail("thread %d: fs_base %#x is &m.tls[0] + 8 of %d Ms" % (tid, fs, len(mine)))
            continue
        m = mine[0]
        t.check("thread %d: m_id" % tid, th["m_id"], m["id"])
        if m["procid"]:
            t.check("thread %d: its M's procid (from gettid)" % tid, m["procid"], tid)
        if th["g"] is None:
            t.true("thread %d: no g at fs:-8, and none in its M's tls[0] (a thread being born)"
                   % tid, not addr(m["tls0"]))
            continue
        t.check("thread %d: g at fs:-8 is m%d.tls[0]" % (tid, m["id"]), addr(th["g"]), addr(m["tls0"]))
        t.check("thread %d: g label" % tid, th["g_label"],
                label_for(addr(th["g"]), ms, gmp["g"]))
    for m in ms:
        if m["procid"]:
            t.true("m%d (procid %d) is a traced thread" % (m["id"], m["procid"]),
                   any(th["tid"] == m["procid"] for th in threads["threads"]))
        if m["id"] != 0:
            g0 = [x for x in gmp["g"] if addr(x["addr"]) == addr(m["g0"])]
            t.true("m%d's g0 is listed in info gmp as m%d.g0" % (m["id"], m["id"]),
                   len(g0) == 1 and g0[0]["label"] == "m%d.g0" % m["id"], str(g0))

# sysmon's thread. It may not get a CPU before hello is done, so bootscope
# makes it run: stop in clone, step the parent over its syscall (only the
# stepped thread runs), switch to the child and step it into sysmon.
syms = golib.nm(hello)
clone = golib.objdump(hello, symbol="runtime.clone.abi0")
to_syscall = [i for i, (a, text) in enumerate(clone) if text == "syscall"]
if not to_syscall:
    t.fail("objdump shows no syscall in runtime.clone.abi0")
    t.finish()
ev = t.bs_ok(hello, ["break runtime.clone", "run", "stepi %d" % to_syscall[0],
                     "print $rax", "stepi", "thread $rax", "delete",
                     "break runtime.sysmon", "stepi 100000",
                     "info tls", "info g", "info gmp",
                     "info threads", "thread runtime.m0.procid", "info tls"], env=ENV)
nr_clone = golib.header_constant("asm/unistd_64.h", "__NR_clone")
if nr_clone is None:
    print("note: no kernel headers; the syscall number is not witnessed")
else:
    t.check("at clone's syscall: rax is __NR_clone",
            last(ev, "print")["value"] if of(ev, "print") else None, nr_clone)
stop, tls = last(ev, "stop"), of(ev, "tls")
gmp, threads, thread = last(ev, "gmp"), last(ev, "threads"), last(ev, "thread")
if not (stop and len(tls) == 2 and gmp and threads and thread):
    t.fail("bootscope did not stop at runtime.sysmon with all views")
    t.finish()
t.check("stepi on the child stops at runtime.sysmon", addr(stop["pc"]), syms["runtime.sysmon"])
m1 = [m for m in gmp["m"] if m["id"] == 1]
t.true("sysmon runs on the first M after m0", len(m1) == 1)
leader = threads["threads"][0]["tid"]
t.true("the stop is on another thread than the main one", stop["tid"] != leader)
t.check("stop: the g at fs:-8 is labelled", stop["g_label"], "m1.g0")
t.check("info tls: g", addr(tls[0]["g"]), addr(m1[0]["g0"]))
t.check("info tls: m_id", tls[0]["m_id"], 1)
t.check("info tls: fs_base = &m1.tls[0] + 8", addr(tls[0]["fs_base"]),
        addr(m1[0]["addr"]) + tls_off + 8)
t.check("info tls: not m0's TLS", tls[0]["fs_is_m0_tls"], False)
g = last(ev, "g")
t.check("info g on sysmon's thread: label, goid", (g["label"], g["goid"]), ("m1.g0", 0))
t.check("info gmp: current g label", gmp["current_g_label"], "m1.g0")
t.check("m1's procid is the stopped thread", m1[0]["procid"], stop["tid"])
t.check("thread runtime.m0.procid: the main thread", thread["tid"], leader)
t.check("thread: m_id", thread["m_id"], 0)
t.check("info tls after switching: m0's TLS, m_id 0",
        (tls[1]["fs_is_m0_tls"], tls[1]["m_id"]), (True, 0))

# gdb lets a new thread run freely: sysmon's thread may not have got a CPU
# before hello is done. So gdb stops at main.main too (sysmon's thread,
# the first clone, gdb's thread 2, exists by then) and, if that came
# first, runs thread 2 alone (scheduler locking) into runtime.sysmon.
syms = golib.nm(hello)
out = golib.gdb(hello, ["break *%#x" % syms["runtime.sysmon"], "break *%#x" % syms["main.main"], "run",
                        "python if int(gdb.parse_and_eval('$pc')) != %#x: "
                        "gdb.execute('set scheduler-locking on'); gdb.execute('thread 2'); "
                        "gdb.execute('continue')" % syms["runtime.sysmon"],
                        'printf "pc=%#lx\\n", $pc',
                        'printf "fs_base=%#lx\\n", $fs_base',
                        "set $g = *(long *)($fs_base - 8)",
                        'printf "g=%#lx\\n", $g',
                        "printf \"m_id=%ld\\n\", ((struct 'runtime.g' *)$g)->m->id",
                        "printf \"own_g0=%d\\n\", ((struct 'runtime.g' *)$g)->m->g0 == $g",
                        "printf \"has_p=%d\\n\", ((struct 'runtime.g' *)$g)->m->p != 0"],
                env=ENV)
w = golib.gdb_values(out)
t.check("gdb stopped at runtime.sysmon", w.get("pc"), syms["runtime.sysmon"])
t.check("gdb at runtime.sysmon: fs_base", addr(stop["fs_base"]), w.get("fs_base"))
t.check("gdb at runtime.sysmon: g", addr(stop["g"]), w.get("g"))
t.check("gdb at runtime.sysmon: the M's id", 1, w.get("m_id"))
t.check("gdb at runtime.sysmon: the g is its M's g0", 1, w.get("own_g0"))
t.check("gdb at runtime.sysmon: sysmon's M holds no P", 0, w.get("has_p"))
t.finish()
