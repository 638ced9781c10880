#!/usr/bin/env python3
"""cells.py A B: whether two tmux `capture-pane -e -p` screens show the same
thing, cell by cell: each character with its colours and attributes, a
line-drawing character (SO .. SI) as its Unicode glyph, and for a blank only
what a blank shows (its background, reverse, underline). Two encodings of
one picture compare equal; exits 1 naming the first cell that differs."""
import re
import sys

ACS = {"x": "\u2502", "q": "\u2500", "l": "\u250c", "k": "\u2510", "m": "\u2514",
       "j": "\u2518", "t": "\u251c", "u": "\u2524", "v": "\u2534", "w": "\u252c",
       "n": "\u253c"}
SGR = re.compile(r"\x1b\[([0-9;]*)m")
OTHER = re.compile(r"\x1b[^a-zA-Z]*[a-zA-Z]")
ATTRS = ("bold", "dim", "italic", "underline", "blink", "reverse")


def sgr(st, params):
    ps = [int(x) if x else 0 for x in params.split(";")] if params else [0]
    i = 0
    while i < len(ps):
        p = ps[i]
        if p == 0:
            st.update(fg=None, bg=None, **{a: 0 for a in ATTRS})
        elif 1 <= p <= 7 and p != 6:
            st[{1: "bold", 2: "dim", 3: "italic", 4: "underline", 5: "blink", 7: "reverse"}[p]] = 1
        elif p == 22:
            st.update(bold=0, dim=0)
        elif p in (23, 24, 25, 27):
            st[{23: "italic", 24: "underline", 25: "blink", 27: "reverse"}[p]] = 0
        elif 30 <= p <= 37 or 90 <= p <= 97:
            st["fg"] = p - 30 if p < 90 else p - 82
        elif 40 <= p <= 47 or 100 <= p <= 107:
            st["bg"] = p - 40 if p < 100 else p - 92
        elif p == 39:
            st["fg"] = None
        elif p == 49:
            st["bg"] = None
        elif p in (38, 48) and i + 2 < len(ps) and ps[i + 1] == 5:
            st["fg" if p == 38 else "bg"] = ps[i + 2]
            i += 2
        i += 1


def cells(path):
    st = {"fg": None, "bg": None, **{a: 0 for a in ATTRS}}
    acs = False
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for line in text.split("\n"):
        row = []
        i = 0
        while i < len(line):
            m = SGR.match(line, i)
            if m:
                sgr(st, m.group(1))
                i = m.end()
                continue
            m = OTHER.match(line, i)
            if m:
                i = m.end()
                continue
            ch = line[i]
            i += 1
            if ch in "\x0e\x0f":
                acs = ch == "\x0e"
                continue
            if acs:
                ch = ACS.get(ch, ch)
            if ch == " ":
                shown = (st["fg"], st["bg"]) if st["reverse"] else (st["bg"],)
                row.append((" ", st["reverse"], st["underline"]) + shown)
            else:
                row.append((ch,) + tuple(sorted(st.items())))
        while row and row[-1] == (" ", 0, 0, None):
            row.pop()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def main():
    a, b = cells(sys.argv[1]), cells(sys.argv[2])
    if a == b:
        return 0
    for y in range(max(len(a), len(b))):
        ra = a[y] if y < len(a) else []
        rb = b[y] if y < len(b) else []
        if ra == rb:
            continue
        for x in range(max(len(ra), len(rb))):
            ca = ra[x] if x < len(ra) else None
            cb = rb[x] if x < len(rb) else None
            if ca != cb:
                print(f"row {y} column {x}: {ca} against {cb}")
                return 1
    return 1


if __name__ == "__main__":
    sys.exit(main())
