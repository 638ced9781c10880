#!/usr/bin/env python3
"""Every lab (labs/NN-*.bs) in lab mode on a `go build` hello: each check
not marked for other kinds of binary (#@bundled, #@only cgo/dynamic) must
pass on go1.19's runtime, so a lab cannot teach what only the bundled
runtime does. The others must be reported as skipped, once each.

A lab runs as  bootscope --batch --json --lab N -- HELLO ARGS  with the
lab's #@program arguments and #@env entries (the labs directory comes from
BOOTSCOPE_LAB_DIR, passed on as BOOTSCOPE_LABS).
"""
import glob
import json
import os
import subprocess

import golib
from events import ptrace_refused
from golib import of

t = golib.Test(__doc__)
hello = t.program("hello")
lab_dir = os.environ.get("BOOTSCOPE_LAB_DIR", "labs")
files = sorted(glob.glob(os.path.join(lab_dir, "[0-9]*-*.bs")))
if not files:
    t.fail("no lab files in %s (set BOOTSCOPE_LAB_DIR)" % lab_dir)
    t.finish()


def structure(path):
    """(number, program args, env, {expect line: skipped on the hello})"""
    number, args, env = None, [], {}
    text = open(path).read().split("\n")
    for raw in text:
        line = raw.strip()
        if line.startswith("#@lab "):
            number = int(line.split()[1])
        elif line.startswith("#@program "):
            args = line.split()[2:]
        elif line.startswith("#@env "):
            k, v = line[6:].strip().split("=", 1)
            env[k] = v
    runs = golib.lab_expects(text, {"static", "nocgo"})
    return number, args, env, {n: not r for n, r in runs.items()}


def run(number, args, env):
    """bootscope --batch --json --lab N -- HELLO ARGS: (status, events)."""
    argv = [t.bootscope, "--batch", "--json", "--lab", str(number), "--", hello] + args
    r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    events = []
    for n, line in enumerate(r.stdout.splitlines(), 1):
        try:
            events.append(json.loads(line))
        except ValueError:
            t.fail("lab %d: output line %d is not JSON: %r" % (number, n, line[:200]))
    if ptrace_refused(r.stderr, events):
        t.skip("ptrace refused: " + r.stderr.strip())
    return r.returncode, events, r.stderr


for path in files:
    number, args, lab_env, expects = structure(path)
    env = dict(os.environ)
    env.update(lab_env)
    env["BOOTSCOPE_LABS"] = os.path.dirname(os.path.abspath(path))
    rc, events, err = run(number, args, env)
    tag = "lab %d on go1.19's hello" % number
    t.check(tag + ": exit status", rc, 0)
    for e in of(events, "error"):
        t.fail("%s: %s:%s: %s" % (tag, os.path.basename(path), e.get("line"), e.get("message")))
    seen = {}
    for e in of(events, "check"):
        seen.setdefault(e["line"], []).append(e)
    bad = []
    for line, bundled in sorted(expects.items()):
        got = seen.get(line, [])
        if len(got) != 1:
            bad.append("%d ran %d times" % (line, len(got)))
        elif bundled and not got[0].get("skipped"):
            bad.append("%d is for another kind of binary but was not skipped" % line)
        elif not bundled and not got[0].get("pass"):
            bad.append("%d failed: %s (actual %s, expected %s %s)" % (
                line, got[0].get("expr"), golib.show(got[0].get("actual")),
                got[0].get("op") or "", golib.show(got[0].get("expected"))))
    t.true("%s: %d checks hold, %d for other kinds skipped" % (
        tag, sum(1 for b in expects.values() if not b), sum(1 for b in expects.values() if b)),
        not bad, "; ".join(bad))
t.finish()
