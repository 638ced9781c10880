"""Read, edit and rewrite bootscope recordings (docs/timeline.md, versions 1 and 2)
for the tests that craft damaged files whose checksum is still right."""
import struct
import zlib

HEADER = 48
PROGRAM, STATE, MAPS, ZERO, PAGES, STEPS, THREADS = range(1, 8)


def pad8(n):
    return (8 - n % 8) % 8


def sections(d):
    """[(type, flags, payload bytes)] of recording bytes d."""
    nsec = struct.unpack_from("<I", d, 24)[0]
    out, at = [], HEADER
    for _ in range(nsec):
        typ, flags, size = struct.unpack_from("<IIQ", d, at)
        at += 16
        out.append((typ, flags, bytes(d[at:at + size])))
        at += size + pad8(size)
    return out


def section_offset(d, want):
    """Offset in d of the payload of the first section of type want."""
    nsec = struct.unpack_from("<I", d, 24)[0]
    at = HEADER
    for _ in range(nsec):
        typ, _, size = struct.unpack_from("<IIQ", d, at)
        if typ == want:
            return at + 16, size
        at += 16 + size + pad8(size)
    raise KeyError(want)


def fix(d):
    """Set the header's size and CRC to match bytearray d (in place)."""
    struct.pack_into("<Q", d, 16, len(d))
    struct.pack_into("<I", d, 28, 0)
    struct.pack_into("<I", d, 28, zlib.crc32(bytes(d)) & 0xffffffff)
    return d


def build(header, secs):
    """A recording from the first 48 bytes of another and [(type, flags,
    payload)]; the section count, size and CRC are recomputed."""
    d = bytearray(header[:HEADER])
    struct.pack_into("<I", d, 24, len(secs))
    for typ, flags, payload in secs:
        d += struct.pack("<IIQ", typ, flags, len(payload)) + payload
        d += b"\0" * pad8(len(payload))
    return fix(d)


def steps_range(d):
    """(offset, length) of the step records inside the steps section."""
    off, _ = section_offset(d, STEPS)
    _, nbytes = struct.unpack_from("<QQ", d, off)
    return off + 16, nbytes
