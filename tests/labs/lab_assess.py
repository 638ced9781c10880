#!/usr/bin/env python3
"""Labs that assess: one event schema for --lab and -x, exit statuses
0/1/2/3, a lab_summary that always ends the output, and the Gradescope and
JUnit reports.

    lab_assess.py BOOTSCOPE LABS_DIR

Lab 4 runs on the bundled hello as `--lab 4 HELLO` and as `-x 04-tls.bs
HELLO`: the two event streams are the same once what differs from run to
run (process ids, times) is left out. The lab's first event is lab_start,
with the program's sha256 as hashlib computes it; every check has expected
and actual of one JSON type. The reports are parsed (json, xml.etree) and
hold one entry per check with the check event's pass state, for a lab that
passes and for a copy with one check made false (exit 1). A missing
program and a lab that does not exist exit 3 with lab_start, an error and
a lab_summary with ran false; bad options exit 2 with one line on stderr.

Exit status: 0 pass, 1 fail, 77 skip (ptrace refused).
"""
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from events import ptrace_refused  # noqa: E402

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def check(what, got, want):
    if got == want:
        print("ok   %s" % what)
    else:
        fail("%s: got %r, want %r" % (what, got, want))


bootscope, labs = map(os.path.abspath, sys.argv[1:3])
hello = os.path.join(os.path.dirname(bootscope), "target-runtime", "hello")
lab4 = os.path.join(labs, "04-tls.bs")


def run(args, env=None, rc=None):
    r = subprocess.run([bootscope] + args, capture_output=True, text=True, timeout=150,
                       env=dict(os.environ, BOOTSCOPE_LABS=labs, **(env or {})), cwd="/")
    evs = []
    if "--json" in args:
        for n, line in enumerate(r.stdout.splitlines(), 1):
            try:
                evs.append(json.loads(line))
            except ValueError:
                fail("%s: line %d is not JSON: %r" % (args, n, line[:200]))
    if ptrace_refused(r.stderr, evs) and not any(e.get("event") == "stop" for e in evs):
        print("skip: ptrace refused")
        sys.exit(77)
    if rc is not None:
        check("bootscope %s: exit status" % " ".join(args), r.returncode, rc)
    return r, evs


# rbx after cpuid holds the initial APIC id of the CPU the program ran on
VOLATILE = {"tid", "pid", "started", "duration_ms", "lwp", "rbx"}


def stable(v):
    """An event without what differs from one run to the next."""
    if isinstance(v, dict):
        return {k: stable(x) for k, x in v.items() if k not in VOLATILE}
    if isinstance(v, list):
        return [stable(x) for x in v]
    if isinstance(v, str):
        return re.sub(r"\b(process|Thread|LWP) \d+", r"\1 N", v)
    return v


def checks(evs):
    return [e for e in evs if e.get("event") == "check"]


# ---- one schema: --lab and -x ---------------------------------------------
# --lab adds GODEBUG=asyncpreemptoff=1 when it is unset: both runs get it,
# so that the program's stack (the environment is on it) is the same.
same_env = {"GODEBUG": "asyncpreemptoff=1"}
_, lab_evs = run(["--batch", "--json", "--lab", "4", hello], same_env, rc=0)
_, x_evs = run(["--batch", "--json", "-x", lab4, hello], same_env, rc=0)
a, b = [stable(e) for e in lab_evs], [stable(e) for e in x_evs]
diff = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), None)
check("--lab 4 and -x 04-tls.bs: the same events (%d and %d; first difference: %s)" %
      (len(a), len(b), diff if diff is None else (a[diff], b[diff])), a == b, True)
check("the events are more than the checks (stops, prints)",
      len(lab_evs) > len(checks(lab_evs)) + 2, True)
start = lab_evs[0] if lab_evs else {}
check("the first event is lab_start", start.get("event"), "lab_start")
check("lab_start: lab and title", (start.get("lab"), start.get("title")),
      (4, "TLS: settls, arch_prctl and fs:-8"))
check("lab_start: program", start.get("program"), hello)
check("lab_start: the program's sha256 (hashlib)", start.get("sha256"),
      hashlib.sha256(open(hello, "rb").read()).hexdigest())
check("lab_start: the bundled runtime has no Go version", start.get("go_version"), None)
check("lab_start: started is UTC ISO 8601",
      bool(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", start.get("started") or "")), True)
check("lab_start: version as --version", start.get("version"),
      subprocess.run([bootscope, "--version"], capture_output=True, text=True).stdout.split()[-1])
n_expect = sum(1 for l in open(lab4) if l.startswith("expect "))
check("one check per expect line", len(checks(lab_evs)), n_expect)
for c in checks(lab_evs):
    if type(c.get("expected")) is not type(c.get("actual")):
        fail("line %s: expected %r and actual %r of different types" %
             (c.get("line"), c.get("expected"), c.get("actual")))
summary = lab_evs[-1] if lab_evs else {}
check("lab_summary last: ran, status, passed",
      (summary.get("event"), summary.get("ran"), summary.get("status"), summary.get("passed")),
      ("lab_summary", True, 0, n_expect))
check("lab_summary: duration_ms a number", isinstance(summary.get("duration_ms"), int), True)


# ---- reports ---------------------------------------------------------------
def reports(args, rc, tag):
    with tempfile.TemporaryDirectory() as d:
        gs, ju = os.path.join(d, "results.json"), os.path.join(d, "junit.xml")
        _, evs = run(["--batch", "--json", "--student", "s-42", "--report", "gradescope", gs,
                      "--report", "junit", ju] + args, rc=rc)
        cs = checks(evs)
        want = [bool(c.get("pass")) for c in cs]
        g = json.load(open(gs))
        tests = g.get("tests", [])
        check(tag + ": gradescope: one test per check", len(tests), len(cs))
        for t in tests:
            for k, ty in (("name", str), ("score", (int, float)), ("max_score", (int, float)),
                          ("output", str), ("status", str)):
                if not isinstance(t.get(k), ty):
                    fail("%s: gradescope test %r: %s is not %s" % (tag, t, k, ty))
        check(tag + ": gradescope: scores are the checks' pass states",
              [t.get("score") == t.get("max_score") == 1 for t in tests], want)
        check(tag + ": gradescope: status", [t.get("status") for t in tests],
              ["passed" if w else "failed" for w in want])
        check(tag + ": gradescope: score", g.get("score"), sum(want))
        check(tag + ": gradescope: the student", g.get("extra_data", {}).get("student"), "s-42")
        root = ET.parse(ju).getroot()
        suites = root.findall("testsuite")
        cases = root.findall("./testsuite/testcase")
        check(tag + ": junit: one testsuite", len(suites), 1)
        check(tag + ": junit: one testcase per check", len(cases), len(cs))
        check(tag + ": junit: failures", [c.find("failure") is None for c in cases], want)
        check(tag + ": junit: tests and failures attributes",
              (suites[0].get("tests"), suites[0].get("failures")) if suites else None,
              (str(len(cs)), str(want.count(False))))
        props = {p.get("name"): p.get("value") for p in root.iter("property")}
        check(tag + ": junit: student and sha256",
              (props.get("student"), props.get("program_sha256")),
              ("s-42", hashlib.sha256(open(hello, "rb").read()).hexdigest()))
        check(tag + ": junit: testcase names are the checks'",
              [c.get("name") for c in cases],
              ["step %d, line %d: expect %s" % (c["step"], c["line"], c["expr"]) for c in cs])
        return evs


reports(["--lab", "4", hello], 0, "lab 4")
with tempfile.TemporaryDirectory() as d:
    lines = open(lab4).read().split("\n")
    i = next(n for n, l in enumerate(lines) if l.startswith("expect $rax =="))
    lines[i] = lines[i] + " + 1"
    bad = os.path.join(d, "04-tls.bs")
    open(bad, "w").write("\n".join(lines))
    evs = reports(["-x", bad, hello], 1, "lab 4 with one false check")
    check("one false check, on the altered line",
          [c.get("line") for c in checks(evs) if not c.get("pass")], [i + 1])

# ---- answers ---------------------------------------------------------------
def readelf_entry(prog):
    out = subprocess.run(["readelf", "-h", prog], capture_output=True, text=True).stdout
    return int(re.search(r"Entry point address:\s+(0x[0-9a-f]+)", out).group(1), 16)


def answers_file(d, text):
    path = os.path.join(d, "answers.txt")
    open(path, "w").write(text)
    return path


lab1 = os.path.join(labs, "01-entry.bs")
n_answers = sum(1 for l in open(lab1) if l.startswith("#@answer "))
_, evs = run(["--batch", "--json", "--lab", "1"], rc=0)
entry_stop = next(e for e in evs if e.get("event") == "stop")
rsp = int(entry_stop["regs"]["rsp"], 16)
argc = len(next(l for l in open(lab1) if l.startswith("#@program")).split()) - 1
right = {"1.2": ".bss", "1.3": "rodata", "2.1": hex(readelf_entry(hello)), "2.2": "0",
         "3.1": str(argc), "3.2": hex(rsp + 8 + argc * 8), "3.3": "AT_ENTRY", "4.1": "No"}
check("lab 1: an answer for each #@answer", len(right), n_answers)
with tempfile.TemporaryDirectory() as d:
    text = "# lab 1\n" + "".join("%s: %s\n" % kv for kv in right.items())
    gs = os.path.join(d, "r.json")
    _, evs = run(["--batch", "--json", "--lab", "1", "--answers", answers_file(d, text),
                  "--report", "gradescope", gs], rc=0)
    ans = [e for e in evs if e.get("event") == "answer"]
    check("lab 1, right answers: all right",
          [("%d.%d" % (a["step"], a["question"]), a["pass"]) for a in ans],
          [(k, True) for k in right])
    check("lab 1, right answers: summary", (evs[-1].get("answers"), evs[-1].get("answers_right"),
                                            evs[-1].get("status")), (n_answers, n_answers, 0))
    check("lab 1: no #@reveal, no expected answer", [a["expected"] for a in ans],
          [None] * len(ans))
    check("lab 1: the report has the checks and the answers",
          len(json.load(open(gs))["tests"]), len(checks(evs)) + n_answers)
    for wrong in ("2.1", "3.2", "4.1"):
        bad = dict(right)
        bad[wrong] = "0x1" if wrong != "4.1" else "yes"
        _, evs = run(["--batch", "--json", "--lab", "1", "--answers",
                      answers_file(d, "".join("%s: %s\n" % kv for kv in bad.items()))], rc=1)
        check("lab 1, %s wrong: exactly that answer fails" % wrong,
              ["%d.%d" % (a["step"], a["question"]) for a in evs
               if a.get("event") == "answer" and not a["pass"]], [wrong])
        check("lab 1, %s wrong: the checks still pass" % wrong,
              all(c["pass"] for c in checks(evs)), True)
    # a lab that reveals: the expected answer is in the feedback
    lines = open(lab1).read().split("\n")
    lines.insert(next(i for i, l in enumerate(lines) if l.startswith("#@step")),
                 "#@reveal after-submit")
    rl = os.path.join(d, "01-entry.bs")
    open(rl, "w").write("\n".join(lines))
    bad = dict(right, **{"2.1": "0x1"})
    r, evs = run(["--batch", "--json", "--answers",
                  answers_file(d, "".join("%s: %s\n" % kv for kv in bad.items())),
                  "-x", rl, hello, "one", "two"], rc=1)
    a21 = [a for a in evs if a.get("event") == "answer" and (a["step"], a["question"]) == (2, 1)]
    check("#@reveal after-submit: the wrong answer's expected one",
          [(a["pass"], a["actual"], a["expected"]) for a in a21],
          [(False, "0x1", hex(readelf_entry(hello)))])
    # a malformed answers file: bad options
    r, _ = run(["--batch", "--lab", "1", "--answers", answers_file(d, "2 1 0x401100\n")], rc=2)
    check("a malformed answers file names FILE:LINE", ":1: want STEP.Q: ANSWER" in r.stderr, True)

# ---- lab 4's answers, read independently: gdb and the kernel's headers -------
def header_value(name, rx):
    for d in ("/usr/include/x86_64-linux-gnu/asm", "/usr/include/asm"):
        try:
            m = re.search(rx, open(os.path.join(d, name)).read(), re.M)
        except OSError:
            continue
        if m:
            return m
    return None


def gdb_values(prog, exprs):
    try:
        out = subprocess.run(["gdb", "-nx", "-batch"] + sum((["-ex", "print/x " + e]
                                                              for e in exprs), []) + [prog],
                             capture_output=True, text=True, timeout=60).stdout
    except OSError:
        return None
    vals = re.findall(r"^\$\d+ = (0x[0-9a-f]+)$", out, re.M)
    return [int(v, 16) for v in vals] if len(vals) == len(exprs) else None


vals = gdb_values(hello, ["&'runtime.m0'.tls[0]", "&'runtime.g0'"])
set_fs = header_value("prctl.h", r"^#define ARCH_SET_FS\s+(0x[0-9a-fA-F]+)")
nr = header_value("unistd_64.h", r"^#define __NR_(\w+)\s+158$")
if vals is None or set_fs is None or nr is None:
    print("skip lab 4's answers: gdb or the kernel headers are missing")
else:
    tls, g0 = vals
    lab4_right = {"1.1": "0", "1.2": hex(tls), "2.1": nr.group(1), "2.2": set_fs.group(1),
                  "2.3": hex(tls + 8), "3.1": "0x123", "4.1": hex(g0), "4.2": "r14"}
    n4 = sum(1 for l in open(lab4) if l.startswith("#@answer "))
    n4_ask = sum(1 for l in open(lab4) if l.startswith("#@ask "))
    check("lab 4: every question has an answer", (n4, n4_ask), (len(lab4_right), n4_ask))
    with tempfile.TemporaryDirectory() as d:
        _, evs = run(["--batch", "--json", "--lab", "4", "--answers",
                      answers_file(d, "".join("%s: %s\n" % kv for kv in lab4_right.items())),
                      hello], rc=0)
        check("lab 4, right answers: every answer right",
              [("%d.%d" % (a["step"], a["question"]), a["pass"]) for a in evs
               if a.get("event") == "answer"], [(k, True) for k in lab4_right])
        for wrong, bad_value in (("2.3", hex(tls)), ("4.2", "rsp"), ("1.2", hex(g0))):
            bad = dict(lab4_right, **{wrong: bad_value})
            _, evs = run(["--batch", "--json", "--lab", "4", "--answers",
                          answers_file(d, "".join("%s: %s\n" % kv for kv in bad.items())),
                          hello], rc=1)
            check("lab 4, %s wrong: exactly that answer fails" % wrong,
                  ["%d.%d" % (a["step"], a["question"]) for a in evs
                   if a.get("event") == "answer" and not a["pass"]], [wrong])
            check("lab 4, %s wrong: the checks pass, the summary counts it" % wrong,
                  (all(c["pass"] for c in checks(evs)), evs[-1].get("answers_right")),
                  (True, len(lab4_right) - 1))

# ---- per-student variants ---------------------------------------------------
# Lab 6 says #@vary GOMAXPROCS 2..4: two students with different variants;
# each one's answers are read independently, from a plain run of the same
# program with that GOMAXPROCS given by this test (batch prints, no lab),
# and both grade right; a student's variant does not change between runs.
def lab_start_of(student, lab="6"):
    _, evs = run(["--batch", "--json", "--student", student, "--lab", lab], rc=0)
    return evs[0] if evs else {}


variants = {}
for sid in ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"):
    v = lab_start_of(sid).get("variant")
    if v not in variants.values():
        variants[sid] = v
    if len(variants) == 2:
        break
check("two students, two variants of lab 6", len(variants), 2)
check("a student's variant is the same on a second run",
      lab_start_of(next(iter(variants))).get("variant"), next(iter(variants.values())))
for sid, v in variants.items():
    m = re.fullmatch(r"GOMAXPROCS=(\d+)", v or "")
    check("%s: the variant names GOMAXPROCS in 2..4" % sid, bool(m) and 2 <= int(m.group(1)) <= 4,
          True)
    if not m:
        continue
    _, evs = run(["--batch", "--json", "-ex", "break runtime.procresize", "-ex", "run",
                  "-ex", "print $edi", "-ex", "finish", "-ex", "print runtime.allp.len",
                  "-ex", "print runtime.sched.npidle", hello],
                 env={"GOMAXPROCS": m.group(1)}, rc=0)
    edi, allp, npidle = [p.get("value") for p in evs if p.get("event") == "print"]
    check("%s: a plain run with GOMAXPROCS=%s asks for that many Ps" % (sid, m.group(1)),
          (int(edi), int(allp), int(npidle)), (int(m.group(1)),) * 2 + (int(m.group(1)) - 1,))
    answers = {"1.1": "0", "2.1": "0", "2.2": str(edi), "3.1": str(allp), "3.2": "1", "3.3": "0"}
    with tempfile.TemporaryDirectory() as d:
        gs, ju = os.path.join(d, "r.json"), os.path.join(d, "j.xml")
        _, evs = run(["--batch", "--json", "--student", sid, "--lab", "6", "--answers",
                      answers_file(d, "".join("%s: %s\n" % kv for kv in answers.items())),
                      "--report", "gradescope", gs, "--report", "junit", ju], rc=0)
        check("%s (%s): every answer right" % (sid, v),
              [(a["step"], a["question"], a["pass"]) for a in evs if a.get("event") == "answer"],
              [(int(k[0]), int(k[2]), True) for k in answers])
        check("%s: lab_start carries the student and the variant" % sid,
              (evs[0].get("student"), evs[0].get("variant")), (sid, v))
        g = json.load(open(gs))
        graded = [e for e in evs if e.get("event") in ("check", "answer")]
        check("%s: gradescope: one test per check and answer, with its pass state" % sid,
              [(t.get("score"), t.get("max_score"), t.get("status")) for t in g.get("tests", [])],
              [(1, 1, "passed") if e["pass"] else (0, 1, "failed") for e in graded])
        check("%s: gradescope: the score is the sum, execution_time in seconds" % sid,
              (g.get("score"), isinstance(g.get("execution_time"), (int, float)),
               0 <= g.get("execution_time", -1) < 300), (len(graded), True, True))
        cases = ET.parse(ju).getroot().findall("./testsuite/testcase")
        check("%s: junit: one testcase per check and answer, failures where they failed" % sid,
              [c.find("failure") is None for c in cases], [e["pass"] for e in graded])
        check("%s: gradescope's extra_data carries the student and the variant" % sid,
              (g.get("extra_data", {}).get("student"), g.get("extra_data", {}).get("variant")),
              (sid, v))
        props = {p.get("name"): p.get("value") for p in ET.parse(ju).getroot().iter("property")}
        check("%s: junit's properties carry the student and the variant" % sid,
              (props.get("student"), props.get("variant")), (sid, v))
# the other student's answers are wrong for this one: the numbers differ
(s1, v1), (s2, v2) = list(variants.items())[:2] if len(variants) == 2 else [(None, None)] * 2
if s1:
    k2 = re.fullmatch(r"GOMAXPROCS=(\d+)", v2).group(1)
    with tempfile.TemporaryDirectory() as d:
        _, evs = run(["--batch", "--json", "--student", s1, "--lab", "6", "--answers",
                      answers_file(d, "2.2: %s\n3.1: %s\n" % (k2, k2))], rc=1)
        check("%s's numbers are wrong for %s" % (s2, s1),
              [(a["step"], a["question"], a["pass"]) for a in evs if a.get("event") == "answer"
               and (a["step"], a["question"]) in ((2, 2), (3, 1))], [(2, 2, False), (3, 1, False)])

# ---- exit 3: the lab could not run ------------------------------------------
for args, what in ((["--lab", "4", "/nonexistent/prog"], "a missing program"),
                   (["-x", lab4, "/nonexistent/prog"], "a missing program (-x)"),
                   (["--lab", "0"], "--lab 0"), (["--lab", "99"], "--lab 99")):
    with tempfile.TemporaryDirectory() as d:
        gs = os.path.join(d, "r.json")
        _, evs = run(["--batch", "--json", "--report", "gradescope", gs] + args, rc=3)
        check(what + ": lab_start, error, lab_summary", [e.get("event") for e in evs],
              ["lab_start", "error", "lab_summary"])
        s = evs[-1] if evs else {}
        check(what + ": lab_summary ran false, status 3", (s.get("ran"), s.get("status")),
              (False, 3))
        g = json.load(open(gs))
        check(what + ": gradescope report: score 0, says why",
              (g.get("score"), "could not run" in g.get("output", "")), (0, True))
    r, _ = run(["--batch"] + args, rc=3)
    check(what + ", text: the summary line is last",
          r.stdout.strip().split("\n")[-1].endswith(": could not run"), True)

# ---- exit 2: bad options ----------------------------------------------------
for args in (["--batch", "--report", "csv", "/tmp/x", "--lab", "4"],
             ["--batch", "--report", "junit"],
             ["--batch", "--student", "a b", "--lab", "4"],
             ["--student", "s1", "--answers", "/dev/null", "--lab", "4"],
             ["--student", "s1", "-ex", "starti"],
             ["--batch", "--student", "s1", "-ex", "starti"],
             ["--batch", "--student", "s1", "-x", "/dev/null"]):
    r, _ = run(args, rc=2)
    check("%s: one line on stderr" % args, len(r.stderr.strip().split("\n")), 1)
    check("%s: nothing on stdout" % args, r.stdout, "")

print("%d failures" % len(failures))
sys.exit(1 if failures else 0)
