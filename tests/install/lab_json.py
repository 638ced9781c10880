#!/usr/bin/env python3
"""`bootscope --batch --json --lab N`: one check per expect line, a summary.

    lab_json.py [--program NAME=PATH]... BOOTSCOPE LAB.bs
        every check passes
    lab_json.py [--program NAME=PATH]... --negative BOOTSCOPE LAB.bs
        a copy with one expect made false, and one made to fail

A lab whose #@program is not bundled (beside BOOTSCOPE in target-runtime/)
runs with the PATH given for its name as PROGRAM, followed by the lab's
arguments; without one the test is skipped.

The lab's structure is read here from the file itself with regular
expressions (its #@lab number and title, the #@step lines, the expect
lines), not through bootscope's parser, so the check events are compared
with an independent count. The lab directory is given with BOOTSCOPE_LABS.

Exit status: 0 pass, 1 fail, 77 skip (ptrace refused).
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from events import lab_expects, ptrace_refused  # noqa: E402

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


def program_line(path):
    """The #@program words: [NAME, ARGS...], or []."""
    for line in open(path):
        if line.startswith("#@program"):
            return line.split()[1:]
    return []


def program_args(bootscope, path, programs):
    """The PROGRAM ARGS to give for a lab whose program is not bundled."""
    words = program_line(path) or ["hello"]
    bundled = os.path.join(os.path.dirname(bootscope), "target-runtime", words[0])
    if os.access(bundled, os.X_OK):
        return []
    if words[0] not in programs:
        print("skip: %s needs the program %s, which was not built" % (path, words[0]))
        sys.exit(SKIP)
    return [programs[words[0]]] + words[1:]


def structure(path):
    """Number, title, step titles, and (line, step index, text) per expect."""
    number = title = None
    steps, expects = [], []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            s = line.strip()
            m = re.match(r"#@lab\s+(\d+)\s+(.*)$", s)
            if m:
                number, title = int(m.group(1)), m.group(2).strip()
            m = re.match(r"#@step\s+(.*)$", s)
            if m:
                steps.append(m.group(1).strip())
            if re.match(r"expect\s", s):
                expects.append((n, len(steps), s.split(None, 1)[1]))
    return number, title, steps, expects


def run(bootscope, labs_dir, number, prog, json_mode=True):
    env = dict(os.environ, BOOTSCOPE_LABS=labs_dir)
    cmd = [bootscope, "--batch"] + (["--json"] if json_mode else []) + \
        ["--lab", str(number)] + prog
    r = subprocess.run(cmd, capture_output=True, text=True, env=env,
                       timeout=150, cwd="/")
    return cmd, r


def events(cmd, r):
    out = []
    for n, line in enumerate(r.stdout.splitlines(), 1):
        try:
            out.append(json.loads(line))
        except ValueError as e:
            fail("%s: line %d is not JSON (%s): %r" % (" ".join(cmd), n, e, line))
    if ptrace_refused("", out) and not any(e.get("event") == "check" for e in out):
        print("skip: ptrace refused")
        sys.exit(SKIP)
    return out


def skipped_lines(path, bundled):
    """The expect lines marked for kinds of binary the program is not: the
    bundled hello is static and without cgo, and so is a Go hello."""
    kinds = {"static", "nocgo"} | ({"bundled"} if bundled else set())
    with open(path) as f:
        return {n for n, runs in lab_expects(f.read().split("\n"), kinds).items() if not runs}


def summary_counts(summary):
    """The lab_summary without what differs from run to run."""
    return {k: v for k, v in summary.items() if k != "duration_ms"}


def expected_checks(path, evs, tag, want_fail_line=None, bundled=True):
    """The check events match the file's expect lines one to one; those
    for other kinds of binary are skipped."""
    number, title, steps, expects = structure(path)
    skipped = skipped_lines(path, bundled)
    checks = [e for e in evs if e.get("event") == "check"]
    check(tag + ": check lines", [c.get("line") for c in checks],
          [n for n, _, _ in expects])
    for c, (line, step, text) in zip(checks, expects):
        where = "%s: line %d" % (tag, line)
        if (c.get("lab"), c.get("step"), c.get("step_title"), c.get("expr"),
                c.get("step_count"), c.get("file")) != \
                (number, step, steps[step - 1], text, len(steps), path):
            fail("%s: check event %r does not match the file (lab %d, step %d "
                 "%r, expr %r, %d steps, %s)" % (where, c, number, step,
                                                 steps[step - 1], text,
                                                 len(steps), path))
        if line in skipped:
            if not c.get("skipped") or c.get("pass") is not False:
                fail("%s: marked for another kind of binary, but not skipped: %r" % (where, c))
            continue
        if c.get("skipped"):
            fail("%s: skipped, but not marked for another kind of binary: %r" % (where, c))
            continue
        want_pass = line != want_fail_line
        if c.get("pass") is not want_pass:
            fail("%s: pass is %r, want %r: %r" % (where, c.get("pass"), want_pass, c))
        op = c.get("op")
        exp, act = c.get("expected"), c.get("actual")
        if type(exp) is not type(act):
            fail("%s: expected and actual of different JSON types: %r" % (where, c))
        if op is None:
            if exp is not True or act is not want_pass:
                fail("%s: a plain truth needs expected true and actual whether "
                     "it held: %r" % (where, c))
        else:
            if op not in text:
                fail("%s: op %r is not in %r" % (where, op, text))
            if op == "==" and want_pass and exp != act:
                fail("%s: a passing == with expected %r != actual %r" % (where, exp, act))
            if op == "!=" and want_pass and exp == act:
                fail("%s: a passing != with expected == actual %r" % (where, exp))
    summaries = [e for e in evs if e.get("event") == "lab_summary"]
    check(tag + ": one lab_summary, last", len(summaries) == 1 and
          evs[-1] is summaries[0], True)
    return number, title, expects, summaries[0] if summaries else {}, len(skipped)


def positive(bootscope, path, prog):
    d = os.path.dirname(os.path.abspath(path))
    number = structure(path)[0]
    cmd, r = run(bootscope, d, number, prog)
    evs = events(cmd, r)
    tag = "lab %d" % number
    check(tag + ": exit status", r.returncode, 0)
    check(tag + ": no error events", [e for e in evs if e.get("event") == "error"], [])
    start = evs[0] if evs else {}
    check(tag + ": the first event", (start.get("event"), start.get("lab"), start.get("title")),
          ("lab_start", number, structure(path)[1]))
    check(tag + ": lab_start's sha256 is the program's", start.get("sha256"),
          hashlib.sha256(open(start.get("program") or "/dev/null", "rb").read()).hexdigest())
    check(tag + ": lab_start's version", start.get("version"),
          subprocess.run([bootscope, "--version"], capture_output=True,
                         text=True).stdout.split()[-1])
    number, title, expects, summary, nskip = expected_checks(
        os.path.join(d, os.path.basename(path)), evs, tag, bundled=not prog)
    check(tag + ": summary", summary_counts(summary),
          {"event": "lab_summary", "lab": number, "title": title, "checks": len(expects),
           "passed": len(expects) - nskip, "skipped": nskip, "failed": 0, "answers": 0, "answers_right": 0, "ran": True,
           "status": 0, "student": None})


def negative(bootscope, path, prog):
    number, title, _, expects = structure(path)
    victim = expects[len(expects) // 2][0]
    lines = open(path).read().split("\n")
    with tempfile.TemporaryDirectory() as d:
        copy = os.path.join(d, os.path.basename(path))

        # A false check: the lab goes on, exit 1, the check names its line.
        text = lines[victim - 1].strip().split(None, 1)[1]
        altered = list(lines)
        altered[victim - 1] = "expect (%s) && 0" % text
        with open(copy, "w") as f:
            f.write("\n".join(altered))
        cmd, r = run(bootscope, d, number, prog)
        evs = events(cmd, r)
        tag = "lab %d with line %d false" % (number, victim)
        check(tag + ": exit status", r.returncode, 1)
        _, _, exp, summary, nskip = expected_checks(copy, evs, tag, want_fail_line=victim,
                                                    bundled=not prog)
        bad = [e for e in evs if e.get("event") == "check" and not e.get("pass")]
        check(tag + ": failing checks (file, line)",
              [(e.get("file"), e.get("line")) for e in bad], [(copy, victim)])
        check(tag + ": summary", summary_counts(summary),
              {"event": "lab_summary", "lab": number, "title": title,
               "checks": len(exp), "passed": len(exp) - 1 - nskip, "skipped": nskip,
               "failed": 1, "answers": 0, "answers_right": 0, "ran": True, "status": 1, "student": None})
        cmd, r = run(bootscope, d, number, prog, json_mode=False)
        check(tag + ", text: exit status", r.returncode, 1)
        want = "%s:%d: step " % (copy, victim)
        failed_lines = [l for l in r.stdout.splitlines() if "FAIL" in l]
        check(tag + ", text: the FAIL line names FILE:LINE",
              len(failed_lines) == 1 and failed_lines[0].startswith(want), True)
        check(tag + ", text: PASS lines", r.stdout.count("... PASS\n"), len(exp) - 1 - nskip)
        check(tag + ", text: summary line",
              r.stdout.splitlines()[-1] if r.stdout else "",
              "lab %d (%s): %d checks, %d passed, 1 failed%s" %
              (number, title, len(exp), len(exp) - 1 - nskip,
               ", %d skipped (for other kinds of binary)" % nskip if nskip else ""))

        # A check that cannot be evaluated: an error event, the lab stops.
        altered = list(lines)
        altered[victim - 1] = "expect *0 == 1"
        with open(copy, "w") as f:
            f.write("\n".join(altered))
        cmd, r = run(bootscope, d, number, prog)
        evs = events(cmd, r)
        tag = "lab %d with line %d unreadable" % (number, victim)
        check(tag + ": exit status", r.returncode, 1)
        errs = [e for e in evs if e.get("event") == "error"]
        check(tag + ": error (file, line)",
              [(e.get("file"), e.get("line")) for e in errs], [(copy, victim)])
        ran = [e.get("line") for e in evs if e.get("event") == "check"]
        before = [n for n, _, _ in exp if n < victim]
        check(tag + ": checks before the error ran, none after", ran, before)
        skip = skipped_lines(copy, not prog)
        check(tag + ": summary", summary_counts(evs[-1]) if evs else None,
              {"event": "lab_summary", "lab": number, "title": title, "checks": len(exp),
               "passed": len([n for n in before if n not in skip]),
               "skipped": len([n for n in before if n in skip]),
               "failed": len(exp) - len(before), "answers": 0, "answers_right": 0, "ran": True, "status": 1, "student": None})
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--program", action="append", default=[])
    ap.add_argument("--negative", action="store_true")
    ap.add_argument("bootscope")
    ap.add_argument("lab")
    a = ap.parse_args()
    bootscope, lab = os.path.abspath(a.bootscope), os.path.abspath(a.lab)
    programs = dict(p.split("=", 1) for p in a.program)
    prog = program_args(bootscope, lab, programs)
    (negative if a.negative else positive)(bootscope, lab, prog)
    print("%d failures" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
