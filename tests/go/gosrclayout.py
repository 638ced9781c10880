#!/usr/bin/env python3
"""The layout of the Go runtime's g, m, p and schedt on linux/amd64,
computed from a Go source tree (GOROOT/src) by Go's rules of size and
alignment, without a compiler: the way bootscope's table
(debugger/golayout.c) was established for releases whose toolchain could
not be run here.

    gosrclayout.py GOROOT/src        prints the entry as JSON, in the form
                                     of tests/go/golayout_dump.c
    GOSRCLAYOUT_USED=1 …             also lists on stderr each declaration
                                     used (package/file name): the files
                                     a release's layout depends on

The method: the files of each package that a linux/amd64 build compiles
(file-name suffixes and //go:build lines, with the default GOEXPERIMENTs
of the tree's internal/buildcfg), their type and const declarations
(iota, implicit repetition, constant expressions), and for each type its
size and alignment (pointers, maps, chans, funcs 8; strings 16; slices
24; interfaces 16; a struct's fields each at its type's alignment, the
struct aligned to its largest field, a trailing zero-size field padded
by a byte, the size rounded to the alignment; arrays; generics by
substituting the type arguments). An atomic wrapper (a struct of the
atomic package) stands for its value, as in the table.
"""
import json
import os
import re
import sys

GOOS, GOARCH = "linux", "amd64"
KNOWN_OS = set("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd "
               "openbsd plan9 solaris wasip1 windows zos".split())
KNOWN_ARCH = set("386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 "
                 "mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x "
                 "sparc sparc64 wasm".split())

# The fields of the table (tests/go/golayout_dump.c's names).
FIELDS = {
    "g": ["stack.lo", "stack.hi", "m", "sched.pc", "sched.sp", "sched.bp", "atomicstatus", "goid",
          "schedlink", "startpc", "lockedm"],
    "m": ["id", "procid", "g0", "curg", "p", "gsignal", "tls[0]", "alllink", "oldp", "nextp",
          "mstartfn", "spinning", "schedlink", "lockedg"],
    "p": ["id", "status", "m", "runqhead", "runqtail", "runq[0]", "runnext", "schedtick",
          "link"],
    "schedt": ["goidgen", "runq.head", "runqsize", "pidle", "npidle", "midle", "nmidle",
               "nmspinning", "nmsys", "mnext"],
}

# ---- lexing --------------------------------------------------------------

TOKEN = re.compile(r"""
    (?P<ws>[ \t\r]+) | (?P<nl>\n) | (?P<lc>//[^\n]*) | (?P<bc>/\*.*?\*/)
  | (?P<raw>`[^`]*`) | (?P<str>"(?:\\.|[^"\\\n])*") | (?P<rune>'(?:\\.|[^'\\\n])+')
  | (?P<num>0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?)
  | (?P<id>[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)
  | (?P<op>\.\.\.|<<=|>>=|&\^=|&\^|<<|>>|&&|\|\||<-|\+\+|--|==|!=|<=|>=|:=|[-+*/%&|^<>=!~(){}\[\],;:.])
""", re.S | re.X)
SEMI_AFTER = {"id", "num", "str", "raw", "rune"}


def lex(text):
    """Tokens (kind, text) with Go's automatic semicolons."""
    out = []
    pos = 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise SyntaxError("cannot lex at %r" % text[pos:pos + 20])
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws" or kind == "lc":
            continue
        if kind == "nl" or (kind == "bc" and "\n" in m.group()):
            if out and (out[-1][0] in SEMI_AFTER or out[-1][1] in (
                    ")", "]", "}", "++", "--", "break", "continue", "fallthrough", "return")):
                out.append(("op", ";"))
            continue
        if kind == "bc":
            continue
        out.append((kind, m.group()))
    out.append(("op", ";"))
    return out


# ---- build constraints ---------------------------------------------------

def name_ok(name):
    if not name.endswith(".go") or name.endswith("_test.go"):
        return False
    parts = name[:-3].split("_")
    if len(parts) >= 3 and parts[-2] in KNOWN_OS and parts[-1] in KNOWN_ARCH:
        return parts[-2] == GOOS and parts[-1] == GOARCH
    if len(parts) >= 2 and parts[-1] in KNOWN_OS:
        return parts[-1] == GOOS
    if len(parts) >= 2 and parts[-1] in KNOWN_ARCH:
        return parts[-1] == GOARCH
    return True


def constraint_ok(text, tags):
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("//go:build "):
            expr = s[len("//go:build "):]
            py = re.sub(r"[A-Za-z0-9_.]+",
                        lambda m: "True" if m.group() in tags or tag_implied(m.group())
                        else "False", expr)
            py = py.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
            return eval(py)  # only True/False/and/or/not/parentheses remain
        if s.startswith("package "):
            break
    return True


def tag_implied(tag):
    return re.fullmatch(r"go1\.\d+", tag) is not None


def default_experiments(src):
    """The GOEXPERIMENTs on by default for linux/amd64 in this tree."""
    path = os.path.join(src, "internal", "buildcfg", "exp.go")
    on = set()
    if os.path.exists(path):
        text = open(path).read()
        m = re.search(r"baseline\s*:?=\s*goexperiment\.Flags\{(.*?)\n\t\}", text, re.S)
        if m:
            for name, val in re.findall(r"(\w+)\s*:\s*([^,\n]+)", m.group(1)):
                if val.strip() in ("true", "regabiSupported"):
                    on.add(name.lower())
    return on


# ---- packages ------------------------------------------------------------

class Decl:
    def __init__(self, kind, pkg, imports, **kw):
        self.kind, self.pkg, self.imports = kind, pkg, imports
        self.__dict__.update(kw)


class Package:
    def __init__(self, tree, path):
        self.tree, self.path = tree, path
        self.decls = {}
        d = os.path.join(tree.src, path)
        if not os.path.isdir(d):
            raise FileNotFoundError("no package %s in %s" % (path, tree.src))
        for name in sorted(os.listdir(d)):
            if not name_ok(name):
                continue
            text = open(os.path.join(d, name), encoding="utf-8").read()
            if not constraint_ok(text, tree.tags):
                continue
            self.parse_file(name, lex(text))

    def parse_file(self, name, toks):
        imports = {}
        i = 0
        n = len(toks)
        while i < n:
            kind, t = toks[i]
            if t == "import":
                i += 1
                specs, i = self.group(toks, i)
                for spec in specs:
                    strs = [x for k, x in spec if k == "str"]
                    if not strs:
                        continue
                    path = strs[0][1:-1]
                    alias = spec[0][1] if spec[0][0] == "id" else path.rsplit("/", 1)[-1]
                    imports[alias] = path
            elif t == "type":
                i += 1
                specs, i = self.group(toks, i)
                for spec in specs:
                    self.add_type(spec, imports, name)
            elif t == "const":
                i += 1
                specs, i = self.group(toks, i)
                prev = None
                for iota, spec in enumerate(specs):
                    prev = self.add_const(spec, iota, prev, imports, name)
            else:
                i = skip_decl(toks, i)

    @staticmethod
    def group(toks, i):
        """The specs of a declaration at toks[i] (grouped or not)."""
        specs = []
        if toks[i][1] == "(":
            i += 1
            while toks[i][1] != ")":
                j = spec_end(toks, i)
                if j > i:
                    specs.append(toks[i:j])
                i = j + 1
            return specs, i + 1
        j = spec_end(toks, i)
        return [toks[i:j]], j + 1

    def add_type(self, spec, imports, fname):
        name = spec[0][1]
        rest = spec[1:]
        params = []
        if rest and rest[0][1] == "[" and is_type_params(rest):
            close = match(rest, 0)
            inner = rest[1:close]
            params = [x for k, x in inner if k == "id"][:1]
            # [T any] or [T1, T2 any]: the names before the constraint
            names, expect = [], True
            for k, x in inner:
                if expect and k == "id":
                    names.append(x)
                    expect = False
                elif x == ",":
                    expect = True
                else:
                    expect = False
            params = names
            rest = rest[close + 1:]
        alias = bool(rest) and rest[0][1] == "="
        if alias:
            rest = rest[1:]
        self.decls[name] = Decl("type", self, imports, name=name, toks=rest, params=params,
                                alias=alias, file=fname)

    def add_const(self, spec, iota, prev, imports, fname):
        names = []
        i = 0
        while i < len(spec) and spec[i][0] == "id":
            names.append(spec[i][1])
            i += 1
            if i < len(spec) and spec[i][1] == ",":
                i += 1
            else:
                break
        rest = spec[i:]
        if not rest:  # implicit repetition
            typ, exprs, imp = prev
        else:
            eq = next((k for k, t in enumerate(rest) if t[1] == "="), None)
            typ = rest[:eq] if eq else []
            exprs = split_commas(rest[eq + 1:]) if eq is not None else []
            imp = imports
        for k, nm in enumerate(names):
            if nm != "_" and k < len(exprs):
                self.decls[nm] = Decl("const", self, imp, name=nm, toks=exprs[k], iota=iota,
                                      file=fname)
        return typ, exprs, imp


def match(toks, i):
    """Index of the bracket closing the one at toks[i]."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    depth = 0
    for j in range(i, len(toks)):
        t = toks[j][1]
        if toks[j][0] == "op" and t in pairs:
            depth += 1
        elif toks[j][0] == "op" and t in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return j
    raise SyntaxError("unbalanced")


def spec_end(toks, i):
    """Index of the ';' ending the spec at toks[i] (at bracket depth 0)."""
    depth = 0
    while True:
        k, t = toks[i]
        if k == "op":
            if t in "([{":
                depth += 1
            elif t in ")]}":
                if depth == 0:
                    return i
                depth -= 1
            elif t == ";" and depth == 0:
                return i
        i += 1


def skip_decl(toks, i):
    """Past the top-level declaration or token at toks[i]."""
    return spec_end(toks, i) + 1 if toks[i][1] not in (";",) else i + 1


def split_top(toks, sep, keep_empty):
    """toks split at sep outside brackets; empty pieces kept or dropped."""
    out, cur, depth = [], [], 0
    for k, t in toks:
        if k == "op" and t in "([{":
            depth += 1
        elif k == "op" and t in ")]}":
            depth -= 1
        if k == "op" and t == sep and depth == 0:
            if cur or keep_empty:
                out.append(cur)
            cur = []
        else:
            cur.append((k, t))
    if cur:
        out.append(cur)
    return out


def split_commas(toks):
    return split_top(toks, ",", True)


def is_type_params(rest):
    """Whether "[" after a type's name opens type parameters (not an array
    length): [T any], [T, U C], [T ~int], [T interface{…}]."""
    inner = rest[1:match(rest, 0)]
    return (len(inner) >= 2 and inner[0][0] == "id" and
            (inner[1][0] == "id" or inner[1][1] in (",", "~", "[")))


# ---- constants -----------------------------------------------------------

UNSIGNED = {"uintptr": 64, "uint": 64, "uint64": 64, "uint32": 32, "uint16": 16, "uint8": 8,
            "byte": 8}
SIGNED = {"int", "int64", "int32", "int16", "int8", "rune"}


class Const:
    def __init__(self, v, bits=None):
        self.v, self.bits = v, bits


class Tree:
    def __init__(self, src):
        self.src = src
        exps = default_experiments(src)
        self.tags = {GOOS, GOARCH, "unix", "gc", "amd64.v1"} | {"goexperiment." + e for e in exps}
        self.pkgs = {}
        self.layouts = {}
        self.used = set()  # (package, file, name) of the declarations used

    def pkg(self, path):
        if path not in self.pkgs:
            self.pkgs[path] = Package(self, path)
        return self.pkgs[path]

    def lookup(self, pkg, imports, qual, name):
        if qual:
            p = self.pkg(imports[qual])
        else:
            p = pkg
        d = p.decls.get(name)
        if d is None:
            raise KeyError("%s.%s not declared" % (p.path, name))
        self.used.add((p.path, d.file, name))
        return d

    # constant expressions (a Pratt parser over tokens)
    def const(self, decl):
        return self.expr(decl.toks, decl.pkg, decl.imports, decl.iota)

    def expr(self, toks, pkg, imports, iota):
        self._t, self._i = toks, 0
        ctx = (pkg, imports, iota)
        v = self._binary(0, ctx)
        return v

    PREC = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
            "+": 4, "-": 4, "|": 4, "^": 4, "*": 5, "/": 5, "%": 5, "<<": 5, ">>": 5, "&": 5,
            "&^": 5}

    def _peek(self):
        return self._t[self._i] if self._i < len(self._t) else ("op", ";")

    def _binary(self, minp, ctx):
        left = self._unary(ctx)
        while True:
            k, op = self._peek()
            p = self.PREC.get(op) if k == "op" else None
            if p is None or p <= minp:
                return left
            self._i += 1
            right = self._binary(p, ctx)
            left = self._apply(op, left, right)

    def _apply(self, op, a, b):
        x, y = a.v, b.v
        bits = a.bits or b.bits
        r = {"+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y,
             "/": lambda: int(x / y) if isinstance(x, int) else x / y,
             "%": lambda: x % y, "<<": lambda: x << y, ">>": lambda: x >> y,
             "&": lambda: x & y, "|": lambda: x | y, "^": lambda: x ^ y, "&^": lambda: x & ~y,
             "==": lambda: x == y, "!=": lambda: x != y, "<": lambda: x < y,
             "<=": lambda: x <= y, ">": lambda: x > y, ">=": lambda: x >= y,
             "&&": lambda: x and y, "||": lambda: x or y}[op]()
        if op in ("<<", ">>"):
            bits = a.bits
        if bits and isinstance(r, int):
            r &= (1 << bits) - 1
        return Const(r, bits)

    def _unary(self, ctx):
        k, t = self._peek()
        if k == "op" and t in ("-", "+", "!", "^"):
            self._i += 1
            a = self._unary(ctx)
            if t == "-":
                return Const(-a.v, a.bits)
            if t == "+":
                return a
            if t == "!":
                return Const(not a.v)
            v = ~a.v
            if a.bits:
                v &= (1 << a.bits) - 1
            return Const(v, a.bits)
        return self._primary(ctx)

    def _primary(self, ctx):
        pkg, imports, iota = ctx
        k, t = self._peek()
        self._i += 1
        if k == "op" and t == "(":
            v = self._binary(0, ctx)
            self._i += 1  # ')'
            return v
        if k == "num":
            s = t.replace("_", "")
            if re.fullmatch(r"0[0-7]+", s):
                return Const(int(s, 8))
            return Const(int(s, 0) if not re.search(r"[.eE]", s) or s[:2] in ("0x", "0X")
                         else float(s))
        if k == "str":
            return Const(t[1:-1])
        if k == "rune":
            return Const(ord(eval(t)))
        if k == "id":
            qual, name = None, t
            if self._peek()[1] == "." and t in imports:
                self._i += 1
                qual, name = t, self._peek()[1]
                self._i += 1
            if self._peek()[1] == "(":  # a conversion or unsafe.Sizeof
                self._i += 1
                if qual == "unsafe" and name in ("Sizeof", "Alignof"):
                    depth, start = 0, self._i
                    while not (self._peek()[1] == ")" and depth == 0):
                        depth += {"(": 1, ")": -1}.get(self._peek()[1], 0)
                        self._i += 1
                    arg = self._t[start:self._i]
                    self._i += 1
                    lay = self.type_layout(arg, pkg, imports, {})
                    return Const(lay.size if name == "Sizeof" else lay.align)
                v = self._binary(0, ctx)
                self._i += 1
                if not qual and name in UNSIGNED:
                    return Const(v.v & ((1 << UNSIGNED[name]) - 1), UNSIGNED[name])
                if not qual and name in SIGNED:
                    return Const(v.v, None)
                d = self.lookup(pkg, imports, qual, name)
                if d.kind == "type":  # a named type: its underlying basic kind
                    under = d.toks[0][1] if len(d.toks) == 1 else None
                    if under in UNSIGNED:
                        return Const(v.v & ((1 << UNSIGNED[under]) - 1), UNSIGNED[under])
                return Const(v.v)
            if not qual and name == "iota":
                return Const(iota)
            if not qual and name in ("true", "false"):
                return Const(name == "true")
            d = self.lookup(pkg, imports, qual, name)
            saved = (self._t, self._i)
            v = self.expr(d.toks, d.pkg, d.imports, d.iota)
            self._t, self._i = saved
            return v
        raise SyntaxError("constant expression at %r" % t)

    # types
    def type_layout(self, toks, pkg, imports, env):
        lay, rest = self.parse_type(toks, 0, pkg, imports, env)
        return lay

    def named(self, pkg, imports, qual, name, args):
        d = self.lookup(pkg, imports, qual, name)
        key = (d.pkg.path, name, tuple(id(a) for a in args))
        if key in self.layouts:
            return self.layouts[key]
        env = dict(zip(d.params, args))
        lay, _ = self.parse_type(d.toks, 0, d.pkg, d.imports, env)
        lay = Layout(lay.size, lay.align, lay.fields, lay.elem, lay.length,
                     name="%s.%s" % (d.pkg.path, name))
        self.layouts[key] = lay
        return lay

    def parse_type(self, toks, i, pkg, imports, env):
        k, t = toks[i]
        if t == "(":
            lay, i = self.parse_type(toks, i + 1, pkg, imports, env)
            return lay, i + 1
        if t in ("*", "map", "chan", "func") or t == "<-":
            return Layout(8 if t != "map" else 8, 8), self.skip_type(toks, i)
        if t == "interface":
            return Layout(16, 8), match(toks, i + 1) + 1
        if t == "[":
            if toks[i + 1][1] == "]":
                return Layout(24, 8), self.skip_type(toks, i)
            close = match(toks, i)
            n = self.expr(toks[i + 1:close], pkg, imports, 0).v
            elem, j = self.parse_type(toks, close + 1, pkg, imports, env)
            return Layout(elem.size * n, elem.align, elem=elem, length=n), j
        if t == "struct":
            close = match(toks, i + 1)
            return self.struct(toks[i + 2:close], pkg, imports, env), close + 1
        if k == "id":
            qual, name = None, t
            j = i + 1
            if j < len(toks) and toks[j][1] == "." and t in imports:
                qual, name = t, toks[j + 1][1]
                j += 2
            args = []
            if j < len(toks) and toks[j][1] == "[" and not qual and name in env:
                pass
            elif j < len(toks) and toks[j][1] == "[":
                close = match(toks, j)
                for a in split_commas(toks[j + 1:close]):
                    args.append(self.parse_type(a, 0, pkg, imports, env)[0])
                j = close + 1
            if not qual and name in env:
                return env[name], j
            if qual == "unsafe" and name == "Pointer":
                return Layout(8, 8), j
            if not qual and name in BASIC and name not in pkg.decls:
                return Layout(*BASIC[name]), j
            return self.named(pkg, imports, qual, name, args), j
        raise SyntaxError("type at %r" % t)

    def skip_type(self, toks, i):
        """Past the type at toks[i] without laying it out (pointers, funcs…)."""
        k, t = toks[i]
        if t == "*" or t == "<-":
            return self.skip_type(toks, i + 1)
        if t == "chan":
            j = i + 1
            if toks[j][1] == "<-":
                j += 1
            return self.skip_type(toks, j)
        if t == "map":
            return self.skip_type(toks, match(toks, i + 1) + 1)
        if t == "[":
            return self.skip_type(toks, match(toks, i) + 1)
        if t in ("struct", "interface"):
            return match(toks, i + 1) + 1
        if t == "func":
            j = match(toks, i + 1) + 1
            # results: a type or a parenthesized list, if any
            if j < len(toks) and toks[j][1] == "(":
                return match(toks, j) + 1
            if j < len(toks) and (toks[j][0] == "id" or toks[j][1] in ("*", "[", "func", "map",
                                                                      "chan")):
                return self.skip_type(toks, j)
            return j
        if t == "(":
            return match(toks, i) + 1
        j = i + 1
        if j < len(toks) and toks[j][1] == ".":
            j += 2
        if j < len(toks) and toks[j][1] == "[":
            j = match(toks, j) + 1
        return j

    def struct(self, body, pkg, imports, env):
        off, align = 0, 1
        fields = {}
        last_zero = False
        for line in split_semis(body):
            line = [x for x in line if x[0] not in ("str", "raw")] or line
            names, i = [], 0
            if line[0][1] == "*":  # embedded *T or *pkg.T
                names, toks = [line[-1][1]], line
            elif len(line) == 1:  # embedded T
                names, toks = [line[0][1]], line
            elif line[1][1] == ".":  # embedded pkg.T
                names, toks = [line[2][1]], line
            else:  # "a, b T"
                while line[i + 1][1] == ",":
                    names.append(line[i][1])
                    i += 2
                names.append(line[i][1])
                toks = line[i + 1:]
            lay = self.type_layout(toks, pkg, imports, env)
            for nm in names:
                off = (off + lay.align - 1) // lay.align * lay.align
                if nm != "_":
                    fields[nm] = (off, lay)
                off += lay.size
                align = max(align, lay.align)
                last_zero = lay.size == 0
        if last_zero and off > 0:
            off += 1
        size = (off + align - 1) // align * align
        return Layout(size, align, fields)


def split_semis(body):
    return split_top(body, ";", False)


BASIC = {"bool": (1, 1), "int8": (1, 1), "uint8": (1, 1), "byte": (1, 1),
         "int16": (2, 2), "uint16": (2, 2), "int32": (4, 4), "uint32": (4, 4), "rune": (4, 4),
         "float32": (4, 4), "int": (8, 8), "uint": (8, 8), "uintptr": (8, 8),
         "int64": (8, 8), "uint64": (8, 8), "float64": (8, 8), "complex64": (8, 4),
         "complex128": (16, 8), "string": (16, 8), "error": (16, 8), "any": (16, 8)}


class Layout:
    def __init__(self, size, align, fields=None, elem=None, length=None, name=None):
        self.size, self.align = size, align
        self.fields, self.elem, self.length, self.name = fields or {}, elem, length, name


def atomic_value(lay):
    """An atomic wrapper stands for its value: (offset in it, value layout)."""
    if lay.name and "/atomic." in lay.name:
        for v in ("value", "v"):
            if v in lay.fields:
                return lay.fields[v]
    return 0, lay


def field(lay, path):
    off = 0
    for part in path.split("."):
        m = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", part)
        o, lay = lay.fields[m.group(1)]
        off += o
        if m.group(2) is not None:
            off += int(m.group(2)) * lay.elem.size
            lay = lay.elem
    o, lay = atomic_value(lay)
    return off + o, lay.size


def runtime_layout(src):
    tree = Tree(src)
    rt = tree.pkg("runtime")
    structs = {s: tree.named(rt, {}, None, s, []) for s in FIELDS}
    if os.environ.get("GOSRCLAYOUT_USED"):
        for u in sorted(tree.used):
            print("used: %s/%s %s" % u, file=sys.stderr)
    return {
        "sizes": {s: structs[s].size for s in FIELDS},
        "p_runq_len": structs["p"].fields["runq"][1].length,
        "fields": {"%s.%s" % (s, f): list(field(structs[s], f))
                   for s in FIELDS for f in FIELDS[s]},
    }


def release_of(src):
    """"go1.22" from the tree's VERSION file or internal/goversion."""
    for v in (os.path.join(src, "..", "VERSION"),):
        if os.path.exists(v):
            m = re.match(r"(go\d+\.\d+)", open(v).read())
            if m:
                return m.group(1)
    gv = os.path.join(src, "internal", "goversion", "goversion.go")
    m = re.search(r"Version = (\d+)", open(gv).read())
    return "go1.%s" % m.group(1)


if __name__ == "__main__":
    src = sys.argv[1]
    out = {"release": release_of(src)}
    out.update(runtime_layout(src))
    print(json.dumps(out))
