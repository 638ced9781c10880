"""Shared by the tests of the `go` suite: the programs, bootscope in batch
JSON mode, and the witnesses (nm, readelf, objdump, gdb).

Every test is run as  TEST.py --bootscope B [--program NAME=PATH ...]
and exits 0 (pass), 1 (fail) or 77 (skip: no Go toolchain, no gdb, or
ptrace refused).
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from events import lab_expects, ptrace_refused  # noqa: E402,F401

SKIP = 77


class Test:
    def __init__(self, doc):
        ap = argparse.ArgumentParser(description=doc)
        ap.add_argument("--bootscope", required=True)
        ap.add_argument("--program", action="append", default=[],
                        help="NAME=PATH of a program built by go build")
        ap.add_argument("--golayout-dump",
                        help="the program that prints bootscope's table of Go layouts")
        self.args = ap.parse_args()
        self.bootscope = os.path.realpath(self.args.bootscope)
        self.programs = dict(p.split("=", 1) for p in self.args.program)
        self.failures = 0

    # ---- outcome ---------------------------------------------------------

    def skip(self, why):
        print("skip: " + why)
        sys.exit(SKIP)

    def fail(self, msg):
        self.failures += 1
        print("FAIL " + msg)

    def check(self, what, got, want):
        if got == want:
            print("ok   %s = %s" % (what, show(got)))
        else:
            self.fail("%s: bootscope/test says %s, the witness says %s"
                      % (what, show(got), show(want)))

    def true(self, what, cond, detail=""):
        if cond:
            print("ok   " + what)
        else:
            self.fail(what + (": " + detail if detail else ""))

    def finish(self):
        if self.failures:
            print("%d check(s) failed" % self.failures)
            sys.exit(1)
        print("all checks passed")
        sys.exit(0)

    # ---- requirements ----------------------------------------------------

    def program(self, name):
        p = self.programs.get(name)
        if not p:
            self.skip("no Go toolchain: the Go program %s was not built" % name)
        return os.path.realpath(p)

    def need_tool(self, tool):
        if not shutil.which(tool):
            self.skip("no %s" % tool)

    # ---- bootscope -------------------------------------------------------

    def bs(self, prog, cmds, env=None, extra=None, timeout=240):
        """bootscope --batch --json -ex CMD... PROG: (exit status, events,
        stderr). Skips the test when ptrace is refused."""
        argv = [self.bootscope, "--batch", "--json"] + (extra or [])
        for c in cmds:
            argv += ["-ex", c]
        argv += ["--", prog]
        r = subprocess.run(argv, capture_output=True, text=True, env=env,
                           timeout=timeout)
        events = []
        for n, line in enumerate(r.stdout.splitlines(), 1):
            try:
                events.append(json.loads(line))
            except ValueError:
                self.fail("bootscope output line %d is not JSON: %r" % (n, line[:200]))
        if ptrace_refused(r.stderr, events):
            self.skip("ptrace refused: " + r.stderr.strip())
        return r.returncode, events, r.stderr

    def bs_ok(self, prog, cmds, **kw):
        """As bs(), but every command must succeed (exit 0, no error)."""
        rc, events, err = self.bs(prog, cmds, **kw)
        errors = [e for e in events if e.get("event") == "error"]
        if rc != 0 or errors:
            self.fail("bootscope %s %s: exit %d, %s %s" % (
                os.path.basename(prog), cmds, rc,
                [e.get("message") for e in errors], err.strip()))
        return events


# ---- events ------------------------------------------------------------------

def of(events, name):
    return [e for e in events if e.get("event") == name]


def last(events, name):
    v = of(events, name)
    return v[-1] if v else None


def addr(v):
    """A JSON address ("0x…") or null as an int (None stays None)."""
    return None if v is None else int(v, 16)


def show(v):
    if isinstance(v, int) and not isinstance(v, bool) and v > 9:
        return "%#x" % v
    return repr(v)


# ---- witnesses ---------------------------------------------------------------

def nm(prog):
    """{symbol: address} from nm."""
    out = subprocess.run(["nm", prog], capture_output=True, text=True,
                         check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def nm_sized(prog, names):
    """{symbol: (address, size)} from nm -S, for the symbols in names."""
    out = subprocess.run(["nm", "-S", prog], capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and f[3] in names:
            syms[f[3]] = (int(f[0], 16), int(f[1], 16))
    return syms


def nm_body(syms, name):
    """Where a Go function's body is: NAME, else the assembly NAME.abi0."""
    if name in syms:
        return syms[name], name
    if name + ".abi0" in syms:
        return syms[name + ".abi0"], name + ".abi0"
    return None, None


def readelf_entry(prog):
    out = subprocess.run(["readelf", "-h", prog], capture_output=True,
                         text=True, check=True).stdout
    return int(re.search(r"Entry point address:\s+(0x[0-9a-f]+)", out).group(1), 16)


def file_bytes(prog, address, n):
    """n bytes of the file image at a run-time address (ET_EXEC), found
    through readelf's section table."""
    out = subprocess.run(["readelf", "-SW", prog], capture_output=True,
                         text=True, check=True).stdout
    for m in re.finditer(r"\]\s+(\S+)\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", out):
        a, off, size = (int(m.group(i), 16) for i in (2, 3, 4))
        if a and a <= address and address + n <= a + size:
            with open(prog, "rb") as f:
                f.seek(off + address - a)
                return f.read(n)
    return None


def objdump(prog, symbol=None, start=None, stop=None):
    """[(address, text)] of objdump -d: one symbol, or an address range."""
    argv = ["objdump", "-d", "--no-show-raw-insn", "-M", "att"]
    if symbol:
        argv.append("--disassemble=" + symbol)
    if start is not None:
        argv += ["--start-address=%#x" % start, "--stop-address=%#x" % stop]
    out = subprocess.run(argv + [prog], capture_output=True, text=True,
                         check=True).stdout
    insns = []
    for line in out.splitlines():
        m = re.match(r"^\s+([0-9a-f]+):\s+(.*)$", line)
        if m:
            insns.append((int(m.group(1), 16), m.group(2).strip()))
    return insns


def header_constant(header, name):
    """A #define from the kernel headers, or None."""
    for d in ("/usr/include", "/usr/include/x86_64-linux-gnu"):
        try:
            with open(os.path.join(d, header)) as f:
                m = re.search(r"#define\s+%s\s+(0x[0-9a-fA-F]+|\d+)" % name, f.read())
        except OSError:
            continue
        if m:
            return int(m.group(1), 0)
    return None


def go_toolchains():
    """[(go binary, release "go1.22")] of the toolchains on the machine:
    `go` on PATH and Debian's /usr/lib/go-1.*/bin/go, one per release."""
    seen = {}
    cands = [shutil.which("go")] + sorted(glob.glob("/usr/lib/go-1.*/bin/go"))
    for go in cands:
        if not go:
            continue
        r = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, timeout=60)
        m = re.match(r"(go\d+\.\d+)", r.stdout.strip()) if r.returncode == 0 else None
        if m and m.group(1) not in seen:
            seen[m.group(1)] = go
    return [(go, rel) for rel, go in seen.items()]


def go_build(go, src, out, ldflags, tmp):
    """Build src with toolchain go into out (GOPATH mode, a cache in tmp)."""
    env = dict(os.environ, GO111MODULE="off", GOCACHE=os.path.join(tmp, "gocache"),
               GOFLAGS="", GOTOOLCHAIN="local")
    env.pop("GOROOT", None)
    subprocess.run([go, "build", "-ldflags=" + ldflags, "-o", out, src], check=True,
                   env=env, capture_output=True, timeout=600)


def dwarf_dies(prog):
    """The DIEs of readelf --debug-dump=info: {offset: {tag, at, kids}}."""
    out = subprocess.run(["readelf", "--debug-dump=info", prog], capture_output=True,
                         text=True, check=True).stdout
    dies, stack, cur = {}, [], None
    for line in out.splitlines():
        m = re.match(r"\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: \d+(?: \((\w+)\))?", line)
        if m:
            level = int(m.group(1))
            cur = {"tag": m.group(3), "kids": [], "at": {}} if m.group(3) else None
            del stack[level:]
            if cur is not None:
                dies[int(m.group(2), 16)] = cur
                if stack and stack[-1] is not None:
                    stack[-1]["kids"].append(cur)
            stack.append(cur)
            continue
        m = re.match(r"\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s*(.*)$", line)
        if m and cur is not None:
            cur["at"][m.group(1)] = m.group(2).strip()
    return dies


class DwarfTypes:
    """Struct layouts from a program's DWARF, read by readelf: the witness
    of bootscope's table of runtime layouts."""

    def __init__(self, prog):
        self.d = dwarf_dies(prog)

    def _ref(self, die):
        return self.d[int(re.search(r"<0x([0-9a-f]+)>", die["at"]["DW_AT_type"]).group(1), 16)]

    def _plain(self, t):
        while t["tag"] == "DW_TAG_typedef":
            t = self._ref(t)
        return t

    def size(self, t):
        t = self._plain(t)
        if t["tag"] == "DW_TAG_pointer_type":
            return 8
        return int(t["at"]["DW_AT_byte_size"], 0)

    def struct(self, name):
        for t in self.d.values():
            if t["tag"] == "DW_TAG_structure_type" and t["at"].get("DW_AT_name") == name:
                return t
        return None

    def _member(self, t, name):
        t = self._plain(t)
        for k in t["kids"]:
            if k["tag"] == "DW_TAG_member" and k["at"].get("DW_AT_name") == name:
                return k
        return None

    def field(self, st, path):
        """(offset, size) of path ("sched.pc", "tls[0]") in struct st, an
        atomic wrapper standing for its `value` as in bootscope; None when
        absent."""
        off, t = 0, st
        for part in path.split("."):
            m = re.match(r"(\w+)(?:\[(\d+)\])?$", part)
            mem = self._member(t, m.group(1))
            if mem is None:
                return None
            off += int(mem["at"]["DW_AT_data_member_location"], 0)
            t = self._ref(mem)
            if m.group(2) is not None:
                el = self._ref(self._plain(t))
                off += int(m.group(2)) * self.size(el)
                t = el
        for _ in range(3):
            t = self._plain(t)
            v = self._member(t, "value") if t["tag"] == "DW_TAG_structure_type" else None
            if v is None:
                break
            off += int(v["at"]["DW_AT_data_member_location"], 0)
            t = self._ref(v)
        return off, self.size(t)

    def array_len(self, st, name):
        t = self._plain(self._ref(self._member(st, name)))
        sub = [k for k in t["kids"] if k["tag"] == "DW_TAG_subrange_type"][0]
        if "DW_AT_count" in sub["at"]:
            return int(sub["at"]["DW_AT_count"], 0)
        return int(sub["at"]["DW_AT_upper_bound"], 0) + 1


def gdb(prog, cmds, env=None, timeout=240):
    """gdb in batch mode without its Go helpers, in language C: the text
    of what the -ex commands printed. The program gets env (None: ours),
    without the LINES and COLUMNS gdb would add."""
    argv = ["gdb", "-nx", "-batch", "-iex", "set auto-load off",
            "-ex", "set startup-with-shell off", "-ex", "set language c",
            "-ex", "set pagination off", "-ex", "set confirm off"]
    for v in ("LINES", "COLUMNS"):
        argv += ["-ex", "unset environment " + v]
    for c in cmds:
        argv += ["-ex", c]
    r = subprocess.run(argv + [prog], capture_output=True, text=True,
                       env=env, timeout=timeout)
    return r.stdout + r.stderr


def gdb_values(text):
    """NAME=VALUE pairs printed with printf "NAME=%#lx\\n" as {NAME: int}."""
    vals = {}
    for m in re.finditer(r"^([a-z_0-9.]+)=(0x[0-9a-f]+|0|-?[0-9]+)$", text, re.M):
        vals[m.group(1)] = int(m.group(2), 0)
    return vals
