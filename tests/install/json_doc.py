#!/usr/bin/env python3
"""docs/json.md against real output, both ways.

    json_doc.py BOOTSCOPE JSON_MD HELLO CRASH LABS_DIR EXECER

Runs a broad set of commands in `--batch --json` mode (every command and
info view, every x format, a signal and a death by signal, --list-stages,
--lab list, --lab N with a passing, a false and an erroring check, errors
with and without a location, system calls (catchpoints, their stops,
info syscalls), the timeline: reverse commands, a recording
saved and opened with --replay, --record and --trace, a signal sent by the
program to itself, a program that execs another with a pending breakpoint,
and, when BOOTSCOPE_GO_NILDEREF names it, a Go program's signal handler's
backtrace; and, when BOOTSCOPE_GO_STRIPPED and BOOTSCOPE_GO_PIE name them, a stripped Go
binary and a Go PIE)
and checks that:

- every event seen has a section in docs/json.md, and every section's
  event was seen;
- every member seen (nested ones as a.b and a[].b) is in its event's
  table, with a value of a documented type;
- every member in a table was seen at least once, and those not marked
  "when …" are in every event (every element) of that kind;
- the JSON examples in the document obey the same tables.

Exit status: 0 pass, 1 fail, 77 skip (ptrace refused).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from events import ptrace_refused  # noqa: E402

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


# ---- the document ------------------------------------------------------------

def parse_doc(path):
    """{event: {path: (set of types, optional)}} and the JSON examples."""
    doc, examples, event = {}, [], None
    in_json = False
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("```"):
            in_json = line == "```json"
            continue
        if in_json:
            examples.append(line)
            continue
        m = re.match(r"^### ([a-z_]+)\s*$", line)
        if m:
            event = m.group(1)
            doc[event] = {}
            continue
        if line.startswith("## "):
            event = None
            continue
        m = re.match(r"^\| `([a-z_0-9.\[\]]+)` \| ([a-z/]+) \| (.*) \|$", line)
        if m and event:
            types = set(m.group(2).split("/"))
            unknown = types - {"address", "number", "string", "bool", "array",
                               "object", "map", "null"}
            if unknown:
                fail("json.md: %s.%s: unknown types %s" % (event, m.group(1), unknown))
            doc[event][m.group(1)] = (types, m.group(3).startswith("when"))
    return doc, examples


# ---- real output ---------------------------------------------------------------

def type_ok(v, types):
    if v is None:
        return "null" in types
    if isinstance(v, bool):
        return "bool" in types
    if isinstance(v, int):
        return "number" in types
    if isinstance(v, str):
        return "string" in types or ("address" in types and
                                     re.fullmatch(r"0x[0-9a-f]+", v) is not None)
    if isinstance(v, list):
        return "array" in types
    if isinstance(v, dict):
        return "object" in types or "map" in types
    return False


class Checker:
    def __init__(self, doc):
        self.doc = doc
        self.seen = {}          # event -> set of paths
        self.events = set()

    def walk(self, event, obj, prefix, where):
        """Check obj's members; return the paths seen."""
        table = self.doc[event]
        for k, v in obj.items():
            path = prefix + k
            # the exact bytes of a string member that is not UTF-8
            # (Conventions): right after it, hex digits
            base = k[:-len("_hex")]
            if k.endswith("_hex") and isinstance(obj.get(base), str) and \
                    list(obj).index(k) == list(obj).index(base) + 1:
                if not isinstance(v, str) or not re.fullmatch(r"(?:[0-9a-f]{2})+", v):
                    fail("%s: %s = %r is not the bytes of %s" % (where, path, v, base))
                continue
            if path not in table:
                fail("%s: member %s is not documented: %s" % (where, path,
                                                               json.dumps(v)[:120]))
                continue
            self.seen[event].add(path)
            types, _ = table[path]
            if not type_ok(v, types):
                fail("%s: %s = %s is not %s" % (where, path, json.dumps(v)[:80],
                                                "/".join(sorted(types))))
            if "map" in types:
                continue
            if isinstance(v, dict):
                self.walk(event, v, path + ".", where)
            elif isinstance(v, list):
                for el in v:
                    if isinstance(el, dict):
                        self.walk(event, el, path + "[].", where)
        # Members that must be present at this level.
        for path, (types, optional) in table.items():
            if optional or not path.startswith(prefix):
                continue
            rest = path[len(prefix):]
            if "." in rest or "[]" in rest:
                continue
            if rest not in obj:
                fail("%s: %s is missing (it is not marked 'when …')" % (where, path))

    def event(self, ev, where):
        name = ev.get("event") if isinstance(ev, dict) else None
        if name not in self.doc:
            fail("%s: event %r has no section in json.md: %s" % (where, name,
                                                                 json.dumps(ev)[:160]))
            return
        self.events.add(name)
        self.seen.setdefault(name, set())
        body = dict(ev)
        del body["event"]
        self.walk(name, body, "", "%s (%s)" % (where, name))


def run(cmd, env=None, want_rc=None):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=200,
                       env=dict(os.environ, **(env or {})), cwd="/")
    evs = []
    for n, line in enumerate(r.stdout.splitlines(), 1):
        try:
            evs.append(json.loads(line))
        except ValueError:
            fail("%s: line %d is not JSON: %r" % (" ".join(cmd), n, line[:200]))
    if want_rc is not None and r.returncode != want_rc:
        fail("%s: exit %d, want %d (%s)" % (" ".join(cmd), r.returncode, want_rc,
                                           r.stderr.strip()[:300]))
    return evs


def main():
    bootscope, json_md, hello, crash, labs, execer = map(os.path.abspath, sys.argv[1:7])
    doc, examples = parse_doc(json_md)
    c = Checker(doc)

    probe = run([bootscope, "--batch", "--json", "-ex", "starti", hello])
    if ptrace_refused("", probe):
        print("skip: ptrace refused")
        sys.exit(77)

    tmp = tempfile.mkdtemp()
    B = [bootscope, "--batch", "--json"]
    ex = lambda *cmds: [a for cmd in cmds for a in ("-ex", cmd)]
    runs = {
        "views": (B + ex("break schedinit", "tbreak newproc", "run",
                         "info breakpoints", "info registers", "info registers rip eax",
                         "info tls", "info g", "info stack 4",
                         "info auxv", "info stages", "info sections", "info threads",
                         "info target",
                         "thread", "set scheduler-locking step",
                         "x/2gx $rsp", "x/2dw $rsp", "x/2uh $rsp", "x/2cb $rsp",
                         "x/2ga $rsp", "x/2i $pc", "print runtime.g0", "print/x $rsp",
                         "print runtime.ncpu", "ptype runtime.g0.stack", "ptype long",
                         "whatis runtime.ncpu", "print runtime.m0.curg.atomicstatus",
                         "print runtime.g0.stack@2", "print *(long *)$rsp",
                         "expect 1 == 1", "expect $rsp",
                         "echo hi\\n", "help", "help info", "delete 1", "continue",
                         "stepi", "nexti", "finish", "tbreak mstart", "continue",
                         "info gmp", "info gmp diagram", "info gmp dot", "info g 1",
                         "info proc", "info proc mappings", "xinfo $rsp",
                         "xinfo &runtime.m0+8", "info symbol $pc", "info symbol 0",
                         "until runtime.main",
                         "kill", "print *0") + [hello], 1),
        # the call stack: all frames, the innermost, the outermost, a
        # selected frame; goroutine 1's stack from the thread running it
        "frames": (B + ex("break runtime.procresize", "run", "bt", "bt 1", "bt -1", "frame 1",
                          "up", "info frame", "down", "info frame", "break main.main",
                          "continue", "goroutine 1 bt") + [hello], 0),
        "the timeline": (B + ex("record on", "break schedinit", "run", "info record",
                                "reverse-stepi 3", "goto 10", "reverse-continue",
                                "reverse-nexti", "goto 0", "reverse-stepi",
                                "record save " + os.path.join(tmp, "rec"), "stepi", "record off")
                         + [hello], 0),
        # the recording just saved, opened without a process: stops with
        # history.replay, stage counts from the record, back to the start
        "a replay": (B + ["--replay", os.path.join(tmp, "rec")]
                     + ex("info stages", "goto 0", "stepi 5", "info stages", "reverse-stepi 2",
                          "info record", "reverse-continue", "run", "stepi")
                     , 0),
        # free runs: each one step of the record, a jump; stages reached
        # after a step; back across a jump
        "free runs": (B + ex("set record-continue off", "break schedinit", "run", "stepi 2",
                             "break runtime.main", "continue", "info stages", "info record",
                             "info writes runtime.m0.curg", "info changes", "reverse-stepi",
                             "info stages")
                      + [hello], 0),
        # who wrote this: the writes of a field and of raw bytes; a
        # watchpoint met backwards, then forwards through the history
        "dataflow": (B + ex("break main.main", "run", "info writes runtime.m0.p",
                            "info writes *($fs_base-8)@8", "watch *($fs_base-8)",
                            "reverse-continue", "continue") + [hello], 0),
        # what a step changed: the call to main.main (stack bytes), a
        # store from a register, the 0x123 store of an immediate, a step
        # that wrote nothing
        "changes": (B + ex("break main.main", "run", "info changes", "watch *($fs_base-8)",
                           "reverse-continue", "stepi", "info changes", "reverse-continue",
                           "reverse-continue", "reverse-continue", "stepi", "info changes",
                           "info changes 1") + [hello], 0),
        # full mode from the start, saved at the end, and a trace beside it
        "a recorded run": (B + ["--record", os.path.join(tmp, "rec2"),
                                "--trace", os.path.join(tmp, "trace")]
                           + ex("break newproc", "continue", "info stages", "info record",
                                "rc") + [hello], 0),
        # a watchpoint: set, hit (old and new values, the accessing
        # instruction), listed with the breakpoints, deleted
        "a watchpoint": (B + ex("break schedinit", "watch runtime.m0.p", "run", "continue",
                                "info breakpoints", "delete 2", "continue") + [hello], 0),
        # disassemble: a function with pc marked, a raw range; displays
        # shown after each stop, one failing, listed, removed
        "disassembly and displays": (B + ex("break schedinit", "run", "disassemble",
                                            "disassemble /r 0x401000,+8", "disassemble /s runtime.rt0_go",
                                            "display $rsp",
                                            "display/i $pc", "display nosuchsymbol", "stepi",
                                            "info display", "undisplay 1", "undisplay")
                                     + [hello], 0),
        # source lines: step and next stops with their line, list with
        # the current line, info line, the substitution rules; a file not
        # found names the path tried
        "source lines": (B + ex("break runtime.osinit", "run", "step", "next", "list", "list -",
                                "list runtime.schedinit", "info line", "info line proc.c:97",
                                "info line proc.c:1",
                                "set substitute-path /nonexistent/a /nonexistent/b",
                                "show substitute-path") + [hello], 0),
        "a source not found": (B + ex("set substitute-path / /nonexistent/",
                                      "break runtime.osinit", "run") + [hello], 0),
        # system calls: catchpoints set, listed, disabled and enabled, hit
        # at a call's entry and return; the log and its counts
        "system calls": (B + ex("catch syscall arch_prctl", "tcatch syscall write read",
                                "catch syscall 400", "info breakpoints", "disable 2", "enable 2",
                                "disable", "enable", "run", "continue", "info breakpoints",
                                "delete", "stepi", "continue", "info syscalls",
                                "info syscalls -c") + [hello], 0),
        "to the end": (B + ex("starti", "x/2s *($rsp + 8)", "continue") + [hello], 0),
        "stages by stepping": (B + ex("stage next", "stage runtime.exit") + [hello], 0),
        # killed by the signal: a failed batch run
        "a signal": (B + ex("run", "continue") + [crash], 1),
        "a sent signal": (B + ex("run", "info syscalls") + ["/bin/sh", "-c", "kill -USR1 $$"],
                          0),
        "an exec": (B + ex("set breakpoint pending on", "break runtime.main",
                           "break execer.exec", "info breakpoints", "run", "continue",
                           "info breakpoints", "continue") + [execer, hello], 0),
        "stages": ([bootscope, "--json", "--list-stages", hello], 0),
        "a dynamic program": (B + ex("info target") + ["/bin/true"], 0),
        "not a program": (B + ["/etc/passwd"], 1),
        "labs": ([bootscope, "--json", "--lab", "list"], 0),
        "lab 4": (B + ["--lab", "4"], 0),
        "lab 4 for a student": (B + ["--student", "s1", "--lab", "4"], 0),
        "no lab 0": (B + ["--lab", "0"], 3),
    }
    # A stripped Go binary (built when Go is installed): stage names from
    # its pclntab, and the note that says so.
    go_stripped = os.environ.get("BOOTSCOPE_GO_STRIPPED")
    if go_stripped:
        runs["a stripped Go binary"] = ([bootscope, "--json", "--list-stages", go_stripped], 0)
        runs["a stripped Go binary's target"] = (B + ex("info target", "starti") + [go_stripped], 0)
    # A Go PIE: link-time addresses before it starts (and the note that
    # says so), and its entry's link-time address (readelf's) given to
    # break once it runs.
    go_pie = os.environ.get("BOOTSCOPE_GO_PIE")
    if go_pie:
        out = subprocess.run(["readelf", "-h", go_pie], capture_output=True, text=True).stdout
        m = re.search(r"Entry point address:\s+(0x[0-9a-f]+)", out)
        runs["a PIE's stages before it starts"] = (B + ex("info stages") + [go_pie], 0)
        if m:
            runs["a PIE's link-time address"] = (
                B + ex("starti", "break *" + m.group(1)) + [go_pie], 0)
    # A Go program's SIGSEGV handler: its backtrace has the signal's frame.
    go_nilderef = os.environ.get("BOOTSCOPE_GO_NILDEREF")
    if go_nilderef:
        runs["a signal's frame"] = (["env", "GODEBUG=asyncpreemptoff=1"] + B
                                    + ex("break runtime.sighandler", "run", "continue", "bt")
                                    + [go_nilderef], 0)
    for what, (cmd, rc) in runs.items():
        for i, ev in enumerate(run(cmd, {"BOOTSCOPE_LABS": labs}, rc)):
            c.event(ev, "%s, line %d" % (what, i + 1))

    # Answers: lab 1 graded, and a copy that reveals the expected answers
    # (one right, one wrong, one missing).
    ans = os.path.join(tmp, "answers.txt")
    with open(ans, "w") as f:
        f.write("1.2: .bss\n2.1: 0x1\n")
    for i, ev in enumerate(run(B + ["--answers", ans, "--lab", "1"], {"BOOTSCOPE_LABS": labs}, 1)):
        c.event(ev, "lab 1 with answers, line %d" % (i + 1))
    rev = os.path.join(tmp, "revlabs")
    os.makedirs(rev, exist_ok=True)
    with open(os.path.join(rev, "01-rev.bs"), "w") as f:
        f.write("#@lab 1 Reveal\n#@reveal after-submit\n#@step S\n#@ask Q\n"
                "#@answer expr $pc\nstarti\nexpect $pc != 0\n")
    for i, ev in enumerate(run(B + ["--answers", ans, "--lab", "1", hello],
                               {"BOOTSCOPE_LABS": rev}, 1)):
        c.event(ev, "a lab that reveals, line %d" % (i + 1))

    # A lab with a check for another kind of binary: a skipped check.
    kinds = os.path.join(tmp, "kindlabs")
    os.makedirs(kinds, exist_ok=True)
    with open(os.path.join(kinds, "01-kinds.bs"), "w") as f:
        f.write("#@lab 1 Kinds\n#@step S\nstarti\n#@only cgo\nexpect $fs_base != 0\n"
                "expect $fs_base == 0\n")
    for i, ev in enumerate(run(B + ["--lab", "1", hello], {"BOOTSCOPE_LABS": kinds}, 0)):
        c.event(ev, "a lab with a cgo-only check, line %d" % (i + 1))

    # The trace: one object per step with the members docs/timeline.md names.
    trace = [json.loads(l) for l in open(os.path.join(tmp, "trace"))]
    if not trace:
        fail("--trace wrote no steps")
    want = {"step", "pc", "symbol", "stage", "insn", "regs", "mem"}
    for n, t in enumerate(trace, 1):
        if set(t) != want:
            fail("trace line %d: members %s, docs/timeline.md names %s"
                 % (n, sorted(t), sorted(want)))
            break
    if trace and [t["step"] for t in trace[:3]] != [1, 2, 3]:
        fail("trace steps start %s, not 1, 2, 3" % [t["step"] for t in trace[:3]])

    # A lab with a false check and then a failing command.
    src = os.path.join(labs, "04-tls.bs")
    with tempfile.TemporaryDirectory() as d:
        text = open(src).read()
        text = re.sub(r"^expect \$rax == 158$", "expect $rax == 159", text, 1, re.M)
        text = re.sub(r"^expect \$rax == 0$", "expect *0 == 0", text, 1, re.M)
        open(os.path.join(d, "04-tls.bs"), "w").write(text)
        evs = run(B + ["--lab", "4"], {"BOOTSCOPE_LABS": d}, 1)
        kinds = [e.get("event") for e in evs]
        if "error" not in kinds or not any(e.get("pass") is False for e in evs):
            fail("the altered lab gave no false check or no error: %s" % kinds)
        for i, ev in enumerate(evs):
            c.event(ev, "altered lab, line %d" % (i + 1))
        shutil.rmtree(d, ignore_errors=True)

    shutil.rmtree(tmp, ignore_errors=True)

    # Both ways.
    for name in sorted(set(doc) - c.events):
        fail("json.md documents event %r, which no run produced" % name)
    for name in sorted(c.events):
        for path in sorted(set(doc[name]) - c.seen[name]):
            if (name, path) in (("stages", "symbols_note"), ("stages", "go_version"),
                                ("target", "go_version"), ("stop", "go_version")) and \
                    not go_stripped:
                print("note: %s.%s not checked: no stripped Go binary was built" % (name, path))
                continue
            if (name, path) == ("backtrace", "frames[].signal_frame") and not go_nilderef:
                print("note: %s.%s not checked: no Go program with a signal was built"
                      % (name, path))
                continue
            fail("json.md documents %s.%s, which no run produced" % (name, path))
    print("ok   %d events and %d members checked" %
          (len(c.events), sum(len(v) for v in c.seen.values())))

    # The examples obey the tables.
    ex_checker = Checker(doc)
    for i, line in enumerate(examples):
        try:
            ev = json.loads(line)
        except ValueError as e:
            fail("json.md example %d is not JSON (%s): %s" % (i + 1, e, line[:100]))
            continue
        ex_checker.event(ev, "json.md example %d" % (i + 1))

    print("%d failures" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
