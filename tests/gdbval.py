"""Parse gdb-style printed values ({a = 1, b = {...}}, <repeats N times>)."""
import re


def parse(text):
    v, i = _value(text, 0)
    return v


def _skip(s, i):
    while i < len(s) and s[i] == " ":
        i += 1
    return i


def _value(s, i):
    i = _skip(s, i)
    if i < len(s) and s[i] == "{":
        return _braces(s, i + 1)
    if i < len(s) and s[i] in "\"'":
        return _chars(s, i)
    return _scalar(s, i)


_ESC = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "e": 27}


def _quoted(s, i):
    """One quoted string or character at s[i]: (bytes, index after)."""
    q, out, i = s[i], [], i + 1
    while i < len(s) and s[i] != q:
        if s[i] == "\\":
            m = re.match(r"[0-7]{1,3}", s[i + 1:])
            if m:
                out.append(int(m.group(0), 8))
                i += 1 + m.end()
                continue
            out.append(_ESC.get(s[i + 1], ord(s[i + 1])))
            i += 2
            continue
        out.append(ord(s[i]))
        i += 1
    return out, i + 1


def _chars(s, i):
    """A char array as gdb writes it: "ab", '\\000' <repeats 30 times>."""
    out = []
    while True:
        seg, i = _quoted(s, i)
        m = re.match(r" <repeats (\d+) times>", s[i:])
        if m:
            seg = seg * int(m.group(1))
            i += m.end()
        out.extend(seg)
        m = re.match(r", (?=[\"'])", s[i:])
        if not m:
            return Chars(out), i
        i += m.end()


class Chars:
    """A char array's bytes (gdb leaves out the terminating NULs)."""
    def __init__(self, b):
        self.b = b


def _scalar(s, i):
    j, depth, quote = i, 0, None
    while j < len(s):
        c = s[j]
        if quote:
            if c == "\\":
                j += 2
                continue
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        elif depth == 0 and c in ",}":
            break
        j += 1
    tok = s[i:j].strip()
    m = re.match(r"^(.*?) <repeats (\d+) times>$", tok)
    rep = 1
    if m:
        tok, rep = m.group(1), int(m.group(2))
    return Scalar(tok, rep), j


class Scalar:
    def __init__(self, tok, rep=1):
        self.tok, self.rep = tok, rep

    def norm(self):
        t = self.tok
        if t.startswith('"'):
            return t.split('"')[1] if t.count('"') >= 2 else t
        first = t.split(" ")[0]
        if first in ("true", "false"):
            return first == "true"
        try:
            return int(first, 0)
        except ValueError:
            return first

    def __repr__(self):
        return repr(self.norm())


def _braces(s, i):
    named, items = {}, []
    while True:
        i = _skip(s, i)
        if i < len(s) and s[i] == "}":
            return (named if named else items), i + 1
        m = re.match(r"([A-Za-z_][A-Za-z0-9_]*) = ", s[i:])
        if m:
            v, i = _value(s, i + m.end())
            named[m.group(1)] = v
        else:
            v, i = _value(s, i)
            if isinstance(v, Scalar):
                items.extend([Scalar(v.tok)] * v.rep)
            else:
                items.append(v)
                # a repeated aggregate: "{...} <repeats N times>"
                m = re.match(r" <repeats (\d+) times>", s[i:])
                if m:
                    items.extend([v] * (int(m.group(1)) - 1))
                    i += m.end()
        i = _skip(s, i)
        if i < len(s) and s[i] == ",":
            i += 1
        elif i < len(s) and s[i] == "}":
            continue
        elif i >= len(s):
            return (named if named else items), i


def norm(v):
    if isinstance(v, Chars):
        return v
    if isinstance(v, Scalar):
        return v.norm()
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    return [norm(x) for x in v]


def diff(a, b, path="", out=None):
    """Differences between two normalised values, as 'path: a != b'."""
    out = [] if out is None else out
    if isinstance(a, Chars) or isinstance(b, Chars):
        c, l = (a, b) if isinstance(a, Chars) else (b, a)
        ok = isinstance(l, list) and l[:len(c.b)] == c.b and not any(l[len(c.b):])
        if not ok:
            out.append("%s: chars %r != %r" % (path, c.b[:20], l if not isinstance(l, list) else l[:20]))
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s.%s: only in %s" % (path, k, "first" if k in a else "second"))
            else:
                diff(a[k], b[k], path + "." + k, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append("%s: %d elements != %d" % (path, len(a), len(b)))
        for n, (x, y) in enumerate(zip(a, b)):
            diff(x, y, "%s[%d]" % (path, n), out)
    elif a != b:
        out.append("%s: %r != %r" % (path, a, b))
    return out


def fields(n):
    """Leaf count of a normalised value."""
    if isinstance(n, Chars):
        return 1
    if isinstance(n, dict):
        return sum(fields(x) for x in n.values())
    if isinstance(n, list):
        return sum(fields(x) for x in n)
    return 1


def ptype_members(text):
    """Member names of gdb's ptype output (the outermost struct)."""
    names = []
    for line in text.splitlines():
        if not re.match(r"^    \S", line):
            continue
        m = re.search(r"\(\*(\w+)\)\(.*\);$", line) or re.search(r"(\w+)(\[\d+\])*;$", line)
        if m:
            names.append(m.group(1))
    return names
