#!/usr/bin/env python3
"""bootscope --check-lab FILE: the lab files of labs (every one given)
check clean, and a lab file with deliberate mistakes (bad-lab.bs) gets
exactly the findings it deserves.

    check_lab.py BOOTSCOPE BAD_LAB LAB.bs...

A good lab: exit status 0, a lab_start first and a lab_summary last with
status 0, every check passed, no finding of severity "error" (so every
#@answer expr evaluates where its step ends). The bad lab: exit status 1,
and the findings (step, kind, severity) are: step 2's only check already
held before it ran (trivial, and step-trivial for the step), step 2's
answer names no variable (answer), step 3 has a question with no #@answer
(ungraded), step 4 is never reached (unreachable: the program exited).
Bad options give exit status 2.

Exit status: 0 pass, 1 fail, 77 skip (ptrace refused).
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from events import ptrace_refused  # noqa: E402

failures = []


def check(what, got, want):
    if got == want:
        print("ok   %s" % what)
    else:
        failures.append(what)
        print("FAIL %s: got %r, want %r" % (what, got, want))


bootscope, bad_lab = map(os.path.abspath, sys.argv[1:3])
labs = [os.path.abspath(p) for p in sys.argv[3:]]


def check_lab(path, extra=()):
    r = subprocess.run([bootscope, "--json", "--check-lab", path] + list(extra),
                       capture_output=True, text=True, timeout=170, cwd="/")
    evs = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    if ptrace_refused(r.stderr, evs):
        print("skip: ptrace refused")
        sys.exit(77)
    return r.returncode, evs


for lab in labs:
    name = os.path.basename(lab)
    rc, evs = check_lab(lab)
    check(name + ": exit status", rc, 0)
    check(name + ": lab_start first, lab_summary last",
          (evs[0].get("event"), evs[-1].get("event")) if evs else None,
          ("lab_start", "lab_summary"))
    cs = [e for e in evs if e.get("event") == "check"]
    check(name + ": every check passed (or was skipped: another kind of binary)",
          [c["line"] for c in cs if not c["pass"] and not c.get("skipped")], [])
    check(name + ": no error found",
          [(f["line"], f["kind"], f["message"]) for f in evs
           if f.get("event") == "lab_finding" and f["severity"] == "error"], [])
    check(name + ": no stop or print events (only checks and findings)",
          sorted({e.get("event") for e in evs} - {"lab_start", "check", "lab_finding",
                                                  "lab_summary"}), [])

rc, evs = check_lab(bad_lab)
check("bad lab: exit status", rc, 1)
found = [(f["step"], f["kind"], f["severity"]) for f in evs if f.get("event") == "lab_finding"]
check("bad lab: the findings", found,
      [(2, "trivial", "warning"), (2, "step-trivial", "error"), (2, "answer", "error"),
       (3, "ungraded", "warning"), (4, "unreachable", "error")])
check("bad lab: summary status", evs[-1].get("status") if evs else None, 1)
step2 = next((f for f in evs if f.get("event") == "lab_finding" and f["kind"] == "trivial"), {})
check("bad lab: the trivial check's line and expression",
      (step2.get("line"), step2.get("expr")), (16, "runtime.allp.len == 0"))

r = subprocess.run([bootscope, "--check-lab", bad_lab, "--lab", "4"], capture_output=True,
                   text=True, timeout=30)
check("--check-lab with --lab: bad options", r.returncode, 2)
r = subprocess.run([bootscope, "--json", "--check-lab", "/nonexistent.bs"], capture_output=True,
                   text=True, timeout=30)
check("--check-lab on a missing file: could not run", r.returncode, 3)

print("%d failures" % len(failures))
sys.exit(1 if failures else 0)
