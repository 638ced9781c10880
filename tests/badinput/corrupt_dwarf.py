#!/usr/bin/env python3
"""Copies of an ELF program with its .debug_info damaged, deterministically.

    corrupt_dwarf.py IN OUT SEED [--bytes N]
        N bytes (default 100) set to values drawn from random.Random(SEED):
        at N random offsets of the section (SEED even) or as one run of N
        bytes at a random offset (SEED odd).
    corrupt_dwarf.py IN OUT --set OFF=VAL[,OFF=VAL...]
        the bytes at these section offsets set to these values.
    corrupt_dwarf.py IN --targets
        where the runtime's layouts are (readelf's reading of the first
        compilation unit that defines struct g): for struct g, m, p and
        schedt, the section offsets of their DW_AT_byte_size and of their
        members' DW_AT_data_member_location and DW_AT_type, and of the
        array bounds among them; one "WHAT OFFSET" a line.
    corrupt_dwarf.py IN OUT --empty-g
        in every unit that defines struct g: g keeps only its first member,
        stack, and the struct stack that member names keeps only lo, whose
        type becomes the unit's own DIE (which has no size). The one field of
        g the runtime view finds is then stack.lo, at offset 0 and 0 bytes
        wide: the part of a g it needs is empty. Three bytes a unit.

Offsets are relative to .debug_info; the edits print the offsets changed.
A compressed section (SHF_COMPRESSED, or .zdebug_info) is refused with exit
status 2 (the edit would damage the zlib stream, not the DWARF): decompress
a copy first (objcopy --decompress-debug-sections).
"""
import random
import re
import struct
import subprocess
import sys

SHF_COMPRESSED = 0x800
STRUCTS = ("g", "m", "p", "schedt")


def debug_info(data):
    """(file offset, size) of .debug_info in a 64-bit little-endian ELF."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("not a 64-bit little-endian ELF")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)

    def sh(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    stroff = sh(shstrndx)[4]
    for i in range(shnum):
        name, _type, flags, _addr, off, size = sh(i)[:6]
        end = data.index(b"\0", stroff + name)
        sname = data[stroff + name:end].decode()
        if sname == ".zdebug_info" or (sname == ".debug_info" and flags & SHF_COMPRESSED):
            print("%s is compressed" % sname, file=sys.stderr)
            sys.exit(2)
        if sname == ".debug_info":
            return off, size
    sys.exit("no .debug_info")


def targets(path):
    """[(what, offset)]: readelf's reading of the first definition of each
    of STRUCTS (a structure type DIE with a byte size)."""
    out = subprocess.run(["readelf", "--debug-dump=info", path], capture_output=True,
                         text=True, check=True).stdout
    done, cur, res = set(), None, []
    for line in out.splitlines():
        m = re.match(r"\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: \d+(?: \((\w+)\))?", line)
        if m:
            if int(m.group(1)) == 1:
                cur = "?" if m.group(3) == "DW_TAG_structure_type" else None
            continue
        a = re.match(r"\s*<([0-9a-f]+)>\s+(DW_AT_\w+)\s*:\s*(.*)", line)
        if not a or cur is None:
            continue
        off, attr, val = int(a.group(1), 16), a.group(2), a.group(3)
        if cur == "?":
            if attr == "DW_AT_name":
                name = val.split(": ")[-1].strip()
                cur = name if name in STRUCTS and name not in done else None
                if cur:
                    done.add(cur)
            continue
        if attr in ("DW_AT_byte_size", "DW_AT_data_member_location",
                    "DW_AT_type", "DW_AT_upper_bound", "DW_AT_count"):
            res.append(("%s.%s" % (cur, attr[6:]), off))
    return res


DIE_RE = re.compile(r"\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: (\d+)(?: \((\w+)\))?")
ATTR_RE = re.compile(r"\s*<([0-9a-f]+)>\s+(DW_AT_\w+)\s*:\s*(.*)")


def units(path):
    """readelf's reading of every unit: [(unit offset, [die])], each die a
    dict of depth, off, tag (None for a null entry), attrs [(name, off,
    value)] and end (where the next entry starts)."""
    out = subprocess.run(["readelf", "--debug-dump=info", path], capture_output=True,
                         text=True, check=True).stdout
    res, dies = [], None
    for line in out.splitlines():
        u = re.match(r"\s*Compilation Unit @ offset (0x[0-9a-f]+|\d+):", line)
        if u:
            dies = []
            res.append((int(u.group(1), 0), dies))
            continue
        m = DIE_RE.match(line)
        if m and dies is not None:
            off = int(m.group(2), 16)
            if dies:
                dies[-1]["end"] = off
            dies.append({"depth": int(m.group(1)), "off": off,
                         "tag": m.group(4) if m.group(3) != "0" else None,
                         "attrs": [], "end": None})
            continue
        a = ATTR_RE.match(line)
        if a and dies:
            dies[-1]["attrs"].append((a.group(2), int(a.group(1), 16), a.group(3)))
    return res


def attr(die, name):
    """(offset, value) of the attribute, or (None, None)."""
    for n, off, val in die["attrs"]:
        if n == name:
            return off, val
    return None, None


def die_name(die):
    _off, val = attr(die, "DW_AT_name")
    return val.split(": ")[-1].strip() if val is not None else None


def children(dies, i):
    """Indices of the direct children of dies[i] (null entries left out)."""
    res, depth = [], dies[i]["depth"]
    for j in range(i + 1, len(dies)):
        if dies[j]["depth"] <= depth:
            break
        if dies[j]["depth"] == depth + 1 and dies[j]["tag"]:
            res.append(j)
    return res


def empty_g_edits(path):
    """[(offset, value)] of --empty-g."""
    edits, n = [], 0
    for uoff, dies in units(path):
        if not dies or dies[0]["depth"] != 0:
            continue
        top = {}
        for i, d in enumerate(dies):
            if (d["depth"] == 1 and d["tag"] == "DW_TAG_structure_type" and
                    attr(d, "DW_AT_byte_size")[0] is not None):
                top.setdefault(die_name(d), i)
        if "g" not in top:
            continue
        g = top["g"]
        gm = children(dies, g)
        if len(gm) < 2 or die_name(dies[gm[0]]) != "stack":
            sys.exit("struct g at %#x: no first member stack" % dies[g]["off"])
        _o, ref = attr(dies[gm[0]], "DW_AT_type")
        st = [i for i, d in enumerate(dies)
              if d["depth"] == 1 and ref is not None and ref.strip() == "<%#x>" % d["off"]]
        if not st or dies[st[0]]["tag"] != "DW_TAG_structure_type":
            sys.exit("struct g at %#x: its stack is no struct of the unit" % dies[g]["off"])
        sm = children(dies, st[0])
        if len(sm) < 2 or die_name(dies[sm[0]]) != "lo":
            sys.exit("struct stack at %#x: no first member lo" % dies[st[0]]["off"])
        lo = dies[sm[0]]
        toff, _v = attr(lo, "DW_AT_type")
        after = [o for _n, o, _v in lo["attrs"] if toff is not None and o > toff] + [lo["end"]]
        if toff is None or min(after) - toff != 4:
            sys.exit("stack.lo at %#x: its type is not a 4-byte reference" % lo["off"])
        # the unit's DIE, as a reference from inside the unit
        edits += [(dies[gm[1]]["off"], 0), (dies[sm[1]]["off"], 0)]
        edits += [(toff + k, b) for k, b in enumerate(struct.pack("<I", dies[0]["off"] - uoff))]
        n += 1
    if not n:
        sys.exit("no struct g with a first member stack")
    return edits


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[1] == "--targets":
        for what, off in targets(args[0]):
            print(what, "%#x" % off)
        return
    src, dst = args[0], args[1]
    data = bytearray(open(src, "rb").read())
    off, size = debug_info(data)
    edits = []
    if args[2] == "--empty-g":
        edits = empty_g_edits(src)
    elif args[2] == "--set":
        for e in args[3].split(","):
            o, v = e.split("=")
            edits.append((int(o, 0), int(v, 0)))
    else:
        seed, nbytes = int(args[2]), 100
        if "--bytes" in args:
            nbytes = int(args[args.index("--bytes") + 1])
        rng = random.Random(seed)
        if seed % 2 == 0:
            where = sorted(rng.sample(range(size), nbytes))
        else:
            start = rng.randrange(size - nbytes)
            where = list(range(start, start + nbytes))
        edits = [(w, rng.randrange(256)) for w in where]
    for w, v in edits:
        if w >= size:
            sys.exit("offset %#x is past .debug_info (%#x bytes)" % (w, size))
        data[off + w] = v
    with open(dst, "wb") as f:
        f.write(data)
    print(" ".join("%#x" % w for w, _ in edits))


main()
