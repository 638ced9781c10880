"""bootscope's JSON Lines events, read for the shell tests' checks.

tests/common.sh puts tests/ on PYTHONPATH, so a shell test's inline check
starts with an import:

    python3 - "$TMP/out.jsonl" "$addr" <<'PY' || fail "..."
    import sys
    from events import load, named, first, hexint
    ev = load(sys.argv[1])
    assert hexint(first(ev, "stop")["pc"]) == hexint(sys.argv[2])
    PY

    load(src)             every line of a JSON Lines file (a path or an open
                          file, e.g. sys.stdin) as a list of objects; a line
                          that is not JSON raises ValueError
    parse(text)           the same from a string, one event a line
    named(ev, *names)     the events whose "event" is one of names, in order
    first(ev, name)       the first event called name (StopIteration if none)
    last(ev, name)        the last one (IndexError if none)
    by_name(ev)           {name: [events called name, in order]}
    lab_expects(lines, kinds)
                          {expect line: runs?} of a lab file's lines on a
                          binary of these kinds (#@only/#@bundled marks)
    hexint(s)             a hex string as an int: "0x..." as bootscope
                          writes addresses and registers, or bare as nm
                          and readelf print them
    output(ev, stream)    the target's output: the data of the "output"
                          events of stream ("stdout", "stderr"; None: both)
    nm_symbols(path)      {symbol: address} from nm (the first of a name)
    ptrace_refused(text, events)
                          whether bootscope's stderr text or its error events
                          say this machine refuses ptrace (the texts
                          tests/common.sh's skip_if_ptrace_refused knows),
                          with no stop among the events
    jsonl_problems(path)  what keeps a file from being bootscope's JSON Lines
                          (each line UTF-8, an object whose first key is
                          "event"): a list of messages, empty when it is
    Checks                failed checks, collected then reported:
                              check = Checks()
                              check(cond, "what")   kept when cond is false
                              check.fail("what")    kept
                              sys.exit(check.report())
                          report() prints each kept one on stderr after
                          "mismatch: " (or the prefix given) and returns 1
                          when there is one, else 0.

    Live(argv)            bootscope in line mode (no --batch, commands on its
                          stdin, JSON Lines out) for reading /proc while
                          the program is stopped:
                              b = Live([bootscope, "--json", prog])
                              evs = b.cmd("break main.main", "run")
                              b.close()
                          cmd() returns the events of its commands (an echo
                          after them marks their end)
    proc_maps(pid)        /proc/PID/maps as (start, end, perms, offset,
                          path) tuples, ints for the numbers

    python3 -m events jsonl FILE
                          exit 1, naming each line at fault, when FILE is
                          not bootscope's JSON Lines (jsonl_problems)
"""
import json
import re
import subprocess
import sys


class Live:
    MARK = "@@events-live-mark"

    def __init__(self, argv, env=None):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, bufsize=1, env=env)

    def cmd(self, *cmds):
        for c in cmds + ("echo " + self.MARK,):
            self.p.stdin.write(c + "\n")
        self.p.stdin.flush()
        evs = []
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("bootscope ended: " + self.p.stderr.read()[-500:])
            e = json.loads(line)
            if e.get("event") == "echo" and e.get("text") == self.MARK:
                return evs
            evs.append(e)

    def close(self):
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.close()
        except OSError:
            pass
        try:
            self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def proc_maps(pid):
    out = []
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            parts = line.split(None, 5)
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            name = parts[5].strip() if len(parts) > 5 else ""
            out.append((lo, hi, parts[1], int(parts[2], 16), name))
    return out


def load(src):
    if isinstance(src, str):
        with open(src, encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    return [json.loads(line) for line in src]


def parse(text):
    return [json.loads(line) for line in text.splitlines()]


def named(ev, *names):
    return [e for e in ev if e["event"] in names]


def first(ev, name):
    return next(e for e in ev if e["event"] == name)


def last(ev, name):
    return named(ev, name)[-1]


def by_name(ev):
    out = {}
    for e in ev:
        out.setdefault(e["event"], []).append(e)
    return out


def hexint(s):
    return int(s, 16)


def output(ev, stream=None):
    return "".join(e["data"] for e in ev
                   if e["event"] == "output" and (stream is None or e["stream"] == stream))


def nm_symbols(path):
    syms = {}
    nm = subprocess.run(["nm", path], capture_output=True, text=True, check=True)
    for line in nm.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms.setdefault(parts[2], int(parts[0], 16))
    return syms


# What bootscope says when the kernel refuses ptrace (as tests/common.sh).
REFUSED = ("not permitted", "permission denied", "ptrace refused")


def ptrace_refused(text, events=()):
    said = (text + " " + " ".join(e.get("message", "") for e in events
                                  if e.get("event") == "error")).lower()
    return any(r in said for r in REFUSED) and \
        not any(e.get("event") == "stop" for e in events)


def jsonl_problems(path):
    bad = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                obj = json.loads(line)
            except ValueError as e:
                bad.append(f"line {n} is not JSON ({e}): {line!r}")
                continue
            if not isinstance(obj, dict) or not obj or next(iter(obj)) != "event":
                bad.append(f"line {n}: first key is not 'event': {line!r}")
    return bad


class Checks:
    def __init__(self, prefix="mismatch: "):
        self.prefix = prefix
        self.bad = []

    def __call__(self, cond, what):
        if not cond:
            self.bad.append(what)

    def fail(self, what):
        self.bad.append(what)

    def __bool__(self):
        return bool(self.bad)

    def report(self):
        for b in self.bad:
            print(self.prefix + str(b), file=sys.stderr)
        return 1 if self.bad else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "jsonl":
        bad = jsonl_problems(argv[2])
        for b in bad:
            print(b, file=sys.stderr)
        return 1 if bad else 0
    print("usage: python3 -m events jsonl FILE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))


def lab_expects(lines, kinds):
    """{expect line number: whether it runs on a binary of these kinds}
    for a lab file's lines: an expect marked #@only KIND or #@bundled (on
    the lines before it, or before its #@step) runs only on a binary of
    every kind named. kinds: a set of "bundled", "static", "dynamic",
    "cgo", "nocgo"."""
    out, pending, step = {}, set(), set()
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        m = re.match(r"#@only (\w+)$", line)
        if m or line == "#@bundled":
            pending.add(m.group(1) if m else "bundled")
        elif line.startswith("#@step"):
            step, pending = pending, set()
        elif line and not line.startswith("#"):
            need, pending = step | pending, set()
            if line.startswith("expect "):
                out[n] = need <= kinds
    return out
