#!/usr/bin/env python3
"""Write a copy of an ELF program with part of its .debug_info changed.

    corrupt_dwarf.py IN OUT SEED [--bytes N] [--run]

The changes are a pure function of SEED: N bytes (default 100) are set to
values drawn from random.Random(SEED), either at N random offsets of the
section (SEED even) or as one run of N bytes at a random offset (SEED odd).
A compressed section (SHF_COMPRESSED, or .zdebug_info) is refused with
exit status 2: the edit would damage the zlib stream, not the DWARF.
Prints the offsets changed, relative to the section.
"""
import random
import struct
import sys

SHF_COMPRESSED = 0x800


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


def main():
    args = sys.argv[1:]
    nbytes = 100
    if "--bytes" in args:
        i = args.index("--bytes")
        nbytes = int(args[i + 1])
        del args[i:i + 2]
    src, dst, seed = args[0], args[1], int(args[2])
    data = bytearray(open(src, "rb").read())
    off, size = debug_info(data)
    rng = random.Random(seed)
    if seed % 2 == 0:
        where = sorted(rng.sample(range(size), nbytes))
    else:
        start = rng.randrange(size - nbytes)
        where = list(range(start, start + nbytes))
    for w in where:
        data[off + w] = rng.randrange(256)
    with open(dst, "wb") as f:
        f.write(data)
    print(" ".join("%#x" % w for w in where))


main()
