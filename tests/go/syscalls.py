#!/usr/bin/env python3
"""The system calls of a go1.19 program under bootscope, with strace -f as
the witness, for the same program and environment.

The program is `preempt`, not hello: hello may exit before sysmon's
thread gets a CPU (the runtime does not wait for it; gdb misses a
breakpoint at runtime.sysmon on hello the same way), while preempt's
main spins on its one P until sysmon preempts it, so every run reaches
runtime.sysmon, under strace too (its nanosleep).

Until its first clone the main thread alone runs, and what it calls does
not depend on timing (two strace runs agree): `info syscalls` at
runtime.exit lists the same names for it as strace, in the same order. At
runtime.sysmon, the first new thread (sysmon's M) has made the calls
strace shows it make before its first nanosleep, but for those of
sysmon's own lock of sched.lock (sched_yield, futex); the rest of every
thread depends on timing. arch_prctl's address is strace's,
and the runtime functions named as callers are those of Go's sources:
runtime.settls makes arch_prctl, runtime.getproccount sched_getaffinity,
runtime.newosproc clone, whose tls is the fs_base of the thread it made.
"""
import os
import re
import subprocess
import tempfile

import golib
from golib import last

t = golib.Test(__doc__)
prog = t.program("preempt")
t.need_tool("strace")
env = dict(os.environ)


def strace_calls():
    """[(tid, name, args text, result text)] in strace's order, without its
    execve; a call cut by another thread's line is one call."""
    with tempfile.NamedTemporaryFile("r") as out:
        r = subprocess.run(["strace", "-f", "-qq", "-o", out.name, prog],
                           capture_output=True, text=True, env=env, timeout=120)
        if r.returncode != 0:
            if "Operation not permitted" in r.stderr:
                t.skip("strace cannot trace here: " + r.stderr.strip()[:200])
            t.fail("strace %s: exit %d: %s" % (prog, r.returncode, r.stderr.strip()[:200]))
        text = out.read()
    calls = []
    for line in text.splitlines():
        m = re.match(r"^(\d+)\s+([a-z_0-9]+)\((.*)$", line)
        if m:
            res = re.search(r"\)\s+=\s+(\S+)", line)
            calls.append([int(m.group(1)), m.group(2), m.group(3), res and res.group(1)])
            continue
        m = re.match(r"^(\d+)\s+<\.\.\. ([a-z_0-9]+) resumed>.*\)\s+=\s+(\S+)", line)
        if m:
            for c in reversed(calls):
                if c[0] == int(m.group(1)) and c[1] == m.group(2):
                    c[3] = m.group(3)
                    break
    if calls and calls[0][1] == "execve":
        calls = calls[1:]
    return calls


def until_first(names, name):
    """names up to and including the first name."""
    return names[:names.index(name) + 1] if name in names else names


def per_thread(calls, tid_of, name_of):
    per = {}
    for c in calls:
        per.setdefault(tid_of(c), []).append(name_of(c))
    return per


st = strace_calls()
if not st:
    t.fail("strace saw no calls")
    t.finish()
st_main = st[0][0]
st_per = per_thread(st, lambda c: c[0], lambda c: c[1])
st_clone = next((c for c in st if c[0] == st_main and c[1] == "clone"), None)
st_ap = next((c for c in st if c[1] == "arch_prctl"), None)

def bs_log(stop_at):
    """bootscope run to a breakpoint: the calls of info syscalls, and the
    threads of info threads by tid."""
    events = t.bs_ok(prog, ["break " + stop_at, "run", "info syscalls", "info threads"],
                     env=env)
    ev = last(events, "syscalls")
    th = last(events, "threads")
    log = [c for c in ev["syscalls"] if c["kind"] == "call"] if ev else []
    if not log:
        t.fail("at %s: info syscalls lists no call" % stop_at)
        t.finish()
    return log, {x["tid"]: x for x in (th or {}).get("threads", [])}


# to runtime.exit: the main thread's calls to its first clone
log, threads = bs_log("runtime.exit")
bs_main = log[0]["tid"]
bs_per = per_thread(log, lambda c: c["tid"], lambda c: c["name"])
want = until_first(st_per[st_main], "clone")
got = until_first(bs_per[bs_main], "clone")
diff = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
t.true("the main thread's %d calls to its first clone are strace's" % len(want), got == want,
       "they differ from call %d: bootscope %s, strace %s" % (diff, got[diff:diff + 5],
                                                              want[diff:diff + 5]))
t.true("no exit_group before runtime.exit", all(c["name"] != "exit_group" for c in log))

# to runtime.sysmon, on the first clone's child (sysmon's M): what that
# thread called before, which strace shows before its first nanosleep
# (sysmon's usleep)
slog, sthreads = bs_log("runtime.sysmon")
s_main = slog[0]["tid"]

# An M is an OS thread for life: every call's M (read at its entry stop,
# with its goroutine, through the g and M its thread had at its last stop
# when they still hold) is the M of its thread as info threads has it.
m_of = {tid: x.get("m_id") for tid, x in sthreads.items() if x.get("m_id") is not None}
known = [c for c in slog if c["tid"] in m_of and c["m"] not in (None, -1)]
bad = [(c["index"], c["tid"], c["m"], m_of[c["tid"]]) for c in known if c["m"] != m_of[c["tid"]]]
t.true("each call's M is its thread's M (%d calls on %d threads)" %
       (len(known), len({c["tid"] for c in known})), not bad and len({c["tid"] for c in known}) >= 2,
       "index, tid, the call's M, the thread's M: %s" % bad[:8])
bs_clone = next((c for c in slog if c["tid"] == s_main and c["name"] == "clone"), None)
if st_clone and bs_clone and st_clone[3] and st_clone[3].isdigit():
    child = bs_clone["ret"] if bs_clone["returned"] else None
    t.true("bootscope's first clone returned a thread", isinstance(child, int) and child > 0,
           str(bs_clone))
    got = [c["name"] for c in slog if c["tid"] == child]
    want = until_first(st_per[int(st_clone[3])], "nanosleep")[:-1]
    # Between its entry and its first usleep, sysmon takes and gives back
    # sched.lock (lock, checkdead, unlock in go1.19's proc.go): under
    # contention that is sched_yield (osyield) and futex calls, which
    # strace's list may hold after the calls made before runtime.sysmon.
    rest = want[len(got):]
    t.check("the first new thread's calls before runtime.sysmon", got, want[:len(got)])
    t.true("strace's calls of that thread after them are sysmon's lock's (%s)" % rest,
           len(want) >= len(got) and all(n in ("sched_yield", "futex") for n in rest),
           "bootscope %s, strace %s" % (got, want))
    t.true("the first clone has CLONE_SETTLS",
           any("CLONE_SETTLS" in a["text"] for a in bs_clone["args"]), str(bs_clone["args"]))
    t.check("the first clone's caller", bs_clone["caller"], "runtime.newosproc")
    # strace's order and names: clone(child_stack=…, flags=…, tls=…)
    tls = next((int(a["raw"], 16) for a in bs_clone["args"] if a["text"].startswith("tls=")),
               None)
    if child in sthreads:
        t.check("the new thread's fs_base is the tls clone was given",
                int(sthreads[child]["fs_base"], 16), tls)
    else:
        t.fail("thread %s is not in info threads at runtime.sysmon" % child)
else:
    t.fail("no clone on the main thread: strace %s, bootscope %s" % (st_clone, bs_clone))

ap = next((c for c in log if c["name"] == "arch_prctl"), None)
if ap and st_ap:
    want_arg = int(re.match(r"ARCH_SET_FS, (0x[0-9a-f]+)", st_ap[2]).group(1), 16)
    t.check("arch_prctl's code", ap["args"][0]["text"], "ARCH_SET_FS")
    t.check("arch_prctl's address", int(ap["args"][1]["raw"], 16), want_arg)
    t.check("arch_prctl's result", ap["ret_text"], st_ap[3])
    t.check("arch_prctl's caller", ap["caller"], "runtime.settls")
else:
    t.fail("no arch_prctl: strace %s, bootscope %s" % (st_ap, ap))
sa = next((c for c in log if c["name"] == "sched_getaffinity"), None)
t.check("sched_getaffinity's caller", sa and sa["caller"], "runtime.getproccount")
t.finish()
