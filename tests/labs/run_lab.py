#!/usr/bin/env python3
"""Run one teaching lab in batch mode and require every check to pass.

    run_lab.py --bootscope B --dump LAB-DUMP --program NAME=PATH... LAB.bs
    run_lab.py ... --negative LAB.bs

The lab's structure (program, arguments, environment, which lines are
expects) comes from lab-dump, i.e. from the same parser the lab mode uses.
The lab runs as `bootscope --batch --json -x LAB PROGRAM ARGS` with the
lab's #@env added to the environment; it must exit 0, every JSON line must
parse, and every expect line must report exactly one passing "check"
event. Some labs also get checks against independent witnesses (readelf,
nm, /proc/cpuinfo, the kernel headers, sched_getaffinity, sysconf).

--negative copies the lab with one expect altered to be false: the run
must exit 1, report that expect as failed with its FILE and LINE (in JSON
and in text mode), and still run every other check.

Exit status: 0 pass, 1 fail, 77 skip (ptrace refused).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from events import ptrace_refused  # noqa: E402

SKIP = 77
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def check(what, got, want):
    if got == want:
        print("ok   %s = %r" % (what, got))
    else:
        fail("%s: got %r, want %r" % (what, got, want))


def lab_structure(dump, path):
    r = subprocess.run([dump, path], capture_output=True, text=True)
    if r.returncode != 0:
        fail("lab-dump %s: %s" % (path, r.stderr.strip()))
        sys.exit(1)
    return json.loads(r.stdout)


def run_batch(args, lab, path, extra_env=None, json_mode=True):
    prog_name = lab["program"] or "hello"
    if prog_name not in args.programs:
        fail("%s: no bundled program %r" % (path, prog_name))
        sys.exit(1)
    env = dict(os.environ)
    for e in lab["env"]:
        k, v = e.split("=", 1)
        env[k] = v
    for k, v in (extra_env or {}).items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    cmd = [args.bootscope, "--batch"] + (["--json"] if json_mode else []) + \
        ["-x", path, args.programs[prog_name]] + lab["args"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env,
                       timeout=150)
    return cmd, r


def parse_events(cmd, r):
    events = []
    for n, line in enumerate(r.stdout.splitlines(), 1):
        try:
            events.append(json.loads(line))
        except ValueError as e:
            fail("%s: output line %d is not JSON (%s): %s" %
                 (" ".join(cmd), n, e, line[:200]))
    return events




# The kinds of binary of interp/lab.h's DBG_LAB_*: bundled, static,
# dynamic, cgo, nocgo. The labs' programs are static and without cgo: the
# bundled ones, and the Go hello, which carries Go's build info.
BUNDLED, STATIC, NOCGO = 1, 2, 16


def program_kinds(prog):
    out = subprocess.run(["readelf", "-SW", prog], capture_output=True, text=True).stdout
    return STATIC | NOCGO | (0 if ".go.buildinfo" in out else BUNDLED)


def expect_lines(lab, kinds=STATIC | NOCGO | BUNDLED):
    """The expect lines that run on a program of these kinds (a command
    marked #@only/#@bundled for kinds it lacks is skipped)."""
    return [c["line"] for s in lab["steps"] for c in s["cmds"]
            if c["expect"] and c["only"] & kinds == c["only"]]


def last(events, name):
    for e in reversed(events):
        if e.get("event") == name:
            return e
    return None


def prints(events):
    """print events by their expression text."""
    out = {}
    for e in events:
        if e.get("event") == "print":
            out.setdefault(e["expr"], []).append(e["value"])
    return out


def first(events, name):
    for e in events:
        if e.get("event") == name:
            return e
    return None


def run_lab(args, path, extra_env=None, label="", lab_override=None):
    """Run the lab; check exit 0 and every expect passing. Returns events."""
    lab = lab_override or lab_structure(args.dump, path)
    cmd, r = run_batch(args, lab, path, extra_env)
    events = parse_events(cmd, r)
    if ptrace_refused(r.stderr, events):
        print("skip: ptrace refused: " + r.stderr.strip())
        sys.exit(SKIP)
    tag = "lab %d%s" % (lab["number"], label)
    for e in events:
        if e.get("event") == "error":
            fail("%s: error at line %s: %s" % (tag, e.get("line"), e.get("message")))
    check(tag + ": exit status", r.returncode, 0)
    want = expect_lines(lab, program_kinds(lab_program(args, lab)))
    seen = {}
    for e in events:
        if e.get("event") != "check" or e.get("skipped"):
            continue
        if e.get("file") != path:
            fail("%s: expect event names file %r, not %r" % (tag, e.get("file"), path))
        seen.setdefault(e.get("line"), []).append(e)
        if not e.get("pass"):
            fail("%s: %s:%s: expect %s failed: %s" %
                 (tag, path, e.get("line"), e.get("expr"),
                  json.dumps({k: e.get(k) for k in ("expected", "actual", "op")})))
    for line in want:
        n = len(seen.get(line, []))
        if n != 1:
            fail("%s: %s:%d: expect ran %d times, want once" % (tag, path, line, n))
    extra = sorted(set(seen) - set(want))
    if extra:
        fail("%s: expect events for lines %s that are not expects" % (tag, extra))
    print("%s: %d expects passed" % (tag, sum(1 for l in want if seen.get(l) and
                                              all(e.get("pass") for e in seen[l]))))
    return lab, events


# ---- independent witnesses, per lab --------------------------------------

def nm_symbols(prog):
    out = subprocess.run(["nm", prog], capture_output=True, text=True,
                         check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def readelf_entry(prog):
    out = subprocess.run(["readelf", "-h", prog], capture_output=True,
                         text=True, check=True).stdout
    m = re.search(r"Entry point address:\s+(0x[0-9a-f]+)", out)
    return int(m.group(1), 16)


def lab_program(args, lab):
    return args.programs[lab["program"] or "hello"]


def witness_1(args, lab, events):
    prog = lab_program(args, lab)
    stop = first(events, "stop")
    check("entry pc is readelf's e_entry", int(stop["pc"], 16), readelf_entry(prog))
    check("entry pc is nm's _rt0_amd64_linux", int(stop["pc"], 16),
          nm_symbols(prog)["_rt0_amd64_linux"])
    p = prints(events)
    check("argc on the stack", p.get("*$rsp", [None])[0], 1 + len(lab["args"]))
    auxv = first(events, "auxv")
    names = {a["name"]: int(a["value"], 16) for a in auxv["auxv"]}
    check("AT_ENTRY is e_entry", names.get("AT_ENTRY"), readelf_entry(prog))
    check("AT_PAGESZ is the page size", names.get("AT_PAGESZ"), os.sysconf("SC_PAGE_SIZE"))
    secs = {s["name"]: (int(s["addr"], 16), s["size"])
            for s in first(events, "sections")["sections"]}
    out = subprocess.run(["readelf", "-SW", prog], capture_output=True,
                         text=True, check=True).stdout
    for m in re.finditer(r"\]\s+(\.\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", out):
        name, addr, size = m.group(1), int(m.group(2), 16), int(m.group(3), 16)
        if name in (".text", ".rodata", ".data", ".bss"):
            check("section %s (addr, size) as readelf" % name, secs.get(name), (addr, size))
        if name == ".bss":
            for sym in ("runtime.g0", "runtime.m0"):
                a = p.get("&" + sym, [0])[0]
                check("%s (%#x) lies in readelf's .bss" % (sym, a), addr <= a < addr + size, True)
        if name == ".rodata":
            a = p.get("&runtime.mainPC", [0])[0]
            check("runtime.mainPC (%#x) lies in readelf's .rodata" % a, addr <= a < addr + size, True)


def cpuinfo():
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if not line.strip():
                break
            k, _, v = line.partition(":")
            info[k.strip()] = v.strip()
    return info


def witness_3(args, lab, events):
    info = cpuinfo()
    p = prints(events)
    intel = p.get("runtime.isIntel", [None])[-1]
    check("isIntel matches /proc/cpuinfo vendor_id %s" % info.get("vendor_id"),
          intel, 1 if info.get("vendor_id") == "GenuineIntel" else 0)
    pvi = p.get("runtime.processorVersionInfo", [None])[-1]
    if pvi is None:
        fail("lab 3 prints no runtime.processorVersionInfo")
        return
    base = (pvi >> 8) & 0xF
    family = base + ((pvi >> 20) & 0xFF) if base == 0xF else base
    model = (pvi >> 4) & 0xF
    if base in (6, 0xF):
        model |= ((pvi >> 16) & 0xF) << 4
    check("family as /proc/cpuinfo", family, int(info["cpu family"]))
    check("model as /proc/cpuinfo", model, int(info["model"]))
    check("stepping as /proc/cpuinfo", pvi & 0xF, int(info["stepping"]))


def header_constant(path, name):
    for d in ("/usr/include", "/usr/include/x86_64-linux-gnu"):
        try:
            with open(os.path.join(d, path)) as f:
                m = re.search(r"#define\s+%s\s+(0x[0-9a-fA-F]+|\d+)" % name, f.read())
                if m:
                    return int(m.group(1), 0)
        except OSError:
            pass
    return None


def witness_4(args, lab, events):
    p = prints(events)
    nr = header_constant("asm/unistd_64.h", "__NR_arch_prctl")
    code = header_constant("asm/prctl.h", "ARCH_SET_FS")
    if nr is None or code is None:
        print("note: kernel headers not found; syscall numbers not witnessed")
    else:
        check("rax at the syscall is __NR_arch_prctl", p.get("$rax", [None])[-1], nr)
        check("rdi at the syscall is ARCH_SET_FS", p.get("$rdi", [None])[-1], code)
    syms = nm_symbols(lab_program(args, lab))
    tls = last(events, "tls")
    check("info tls: g at fs:-8 is nm's runtime.g0", int(tls["g"], 16), syms["runtime.g0"])


def witness_5(args, lab, events):
    p = prints(events)
    check("physPageSize is sysconf(PAGE_SIZE)", p.get("runtime.physPageSize", [None])[-1],
          os.sysconf("SC_PAGE_SIZE"))
    check("ncpu is the affinity mask's size", p.get("runtime.ncpu", [None])[-1],
          len(os.sched_getaffinity(0)))
    auxv = {a["name"]: int(a["value"], 16) for a in first(events, "auxv")["auxv"]}
    check("startupRandomData is AT_RANDOM", p.get("runtime.startupRandomData", [None])[-1],
          auxv.get("AT_RANDOM"))
    nr = header_constant("asm/unistd_64.h", "__NR_sched_getaffinity")
    if nr is not None:
        check("rax at the syscall is __NR_sched_getaffinity", p.get("$rax", [None])[0], nr)


def witness_6(args, lab, events, want_procs):
    p = prints(events)
    check("procresize's argument", p.get("$edi", [None])[-1], want_procs)
    check("gomaxprocs", p.get("runtime.gomaxprocs", [None])[-1], want_procs)
    gmp = last(events, "gmp")
    check("Ps in info gmp", len(gmp["p"]), want_procs)
    check("P0 is running on m0", (gmp["p"][0]["status_name"], gmp["p"][0]["m_id"]),
          ("_Prunning", 0))
    check("the other Ps are idle", [q["status_name"] for q in gmp["p"][1:]],
          ["_Pidle"] * (want_procs - 1))
    check("idle Ps", gmp["sched"]["npidle"], want_procs - 1)


def output(events):
    return "".join(e["data"] for e in events
                   if e.get("event") == "output" and e.get("stream") == "stdout")


def witness_7(args, lab, events):
    syms = nm_symbols(lab_program(args, lab))
    g = first(events, "g")
    check("info g 1: goid", g["goid"], 1)
    check("info g 1: startpc is nm's runtime.main", int(g["startpc"], 16), syms["runtime.main"])
    check("info g 1: sched.pc is nm's runtime.main", int(g["sched_pc"], 16), syms["runtime.main"])
    x = first(events, "x")
    check("the word at sched.sp is nm's runtime.goexit + 1",
          int(x["items"][0]["value"]) if not isinstance(x["items"][0]["value"], str)
          else int(x["items"][0]["value"], 16), syms["runtime.goexit"] + 1)
    gmp = last(events, "gmp")
    check("P0's runnext in info gmp", gmp["p"][0]["runnext_goid"], 1)


def witness_8(args, lab, events):
    gs = [e for e in events if e.get("event") == "g"]
    yielding, resumed = gs[-2], gs[-1]
    check("findRunnable returns the g that yielded (goid)", resumed["goid"], yielding["goid"])
    out = output(events)
    m = re.findall(r"worker (\d+) \(goid (\d+)\): step (\d+)", out)
    check("the program's output so far: one step, by the yielding g",
          [(int(goid), int(step)) for _, goid, step in m], [(yielding["goid"], 1)])


def witness_9(args, lab, events):
    out = output(events)
    n = int(lab["args"][0])
    want = "".join("%s %d\n" % ("ping" if i % 2 else "pong", i) for i in range(1, n + 1)) + \
        "pingpong: %d hits\n" % n
    check("the program's output: the rally", out, want)


def witness_10(args, lab, events):
    out = output(events)
    m = re.search(r"second wave: (\d+) more done, allglen=(\d+), P0.gFree.n=(\d+) "
                  r"sched.gFree.n=(\d+)", out)
    if not m:
        fail("spawn printed no second-wave line: %r" % out)
        return
    p = prints(events)
    check("allglen as spawn printed it", p.get("runtime.allglen", [None])[-1], int(m.group(2)))
    check("P0.gFree.n as spawn printed it", p.get("runtime.allp.array[0].gFree.n", [None])[-1],
          int(m.group(3)))
    check("sched.gFree.n as spawn printed it", p.get("runtime.sched.gFree.n", [None])[-1],
          int(m.group(4)))
    m = re.search(r"runnext=(\d+) local=(\d+) global=(\d+)", out)
    check("spawn's own count of runnext/local/global", m and tuple(map(int, m.groups())),
          (1, 170, 129))


WITNESSES = {1: witness_1, 3: witness_3, 4: witness_4, 5: witness_5, 7: witness_7,
             8: witness_8, 9: witness_9, 10: witness_10}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootscope", required=True)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--program", action="append", default=[])
    ap.add_argument("--negative", action="store_true")
    ap.add_argument("lab")
    args = ap.parse_args()
    args.programs = dict(p.split("=", 1) for p in args.program)
    path = args.lab

    if args.negative:
        negative(args, path)
    else:
        lab, events = run_lab(args, path)
        n = lab["number"]
        if n in WITNESSES:
            WITNESSES[n](args, lab, events)
        if n == 6:
            # The lab sets GOMAXPROCS; run it again with 1, and without it
            # (then the number of CPUs we may run on decides).
            declared = int(dict(e.split("=", 1) for e in lab["env"])["GOMAXPROCS"])
            witness_6(args, lab, events, declared)
            _, ev = run_lab(args, path, {"GOMAXPROCS": "1"}, " (GOMAXPROCS=1)")
            witness_6(args, lab, ev, 1)
            lab_unset = dict(lab, env=[])
            _, ev = run_lab(args, path, {"GOMAXPROCS": None}, " (no GOMAXPROCS)",
                            lab_override=lab_unset)
            witness_6(args, lab, ev, min(len(os.sched_getaffinity(0)), 256))
    print("%d failures" % len(failures))
    sys.exit(1 if failures else 0)


def negative(args, path):
    lab = lab_structure(args.dump, path)
    lines = open(path).read().split("\n")
    want = expect_lines(lab)
    if len(want) < 2:
        fail("%s has fewer than two expects" % path)
        return
    victim = want[len(want) // 2]
    text = lines[victim - 1].strip()
    lines[victim - 1] = "expect (%s) && 0" % text.split(None, 1)[1]
    with tempfile.TemporaryDirectory() as d:
        copy = os.path.join(d, os.path.basename(path))
        with open(copy, "w") as f:
            f.write("\n".join(lines))
        labc = lab_structure(args.dump, copy)
        cmd, r = run_batch(args, labc, copy)
        events = parse_events(cmd, r)
        if ptrace_refused(r.stderr, events):
            print("skip: ptrace refused")
            sys.exit(SKIP)
        check("altered lab: exit status", r.returncode, 1)
        bad = [e for e in events if e.get("event") == "check" and not e.get("pass")]
        check("altered lab: failed expects (file, line)",
              [(e.get("file"), e.get("line")) for e in bad], [(copy, victim)])
        good = [e for e in events if e.get("event") == "check" and e.get("pass")]
        check("altered lab: the other expects still ran and passed", len(good), len(want) - 1)
        cmd, r = run_batch(args, labc, copy, json_mode=False)
        check("altered lab, text mode: exit status", r.returncode, 1)
        loc = "%s:%d:" % (copy, victim)
        if loc in r.stdout or loc in r.stderr:
            print("ok   text output names %s" % loc)
        else:
            fail("text output does not name %s:\n%s%s" % (loc, r.stdout[-2000:], r.stderr))


if __name__ == "__main__":
    main()
