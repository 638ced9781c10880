#!/usr/bin/env bash
# --trace FILE writes one JSON object per executed step. Checked against the
# live process of the same run: the steps are consecutive, each pc is where
# the previous step left rip, the registers rebuilt from the entry with
# every step's changes equal the live ones at the end, and every byte the
# trace says was written to the program's data, bss or the stack holds, at
# the end, the last value the trace gave it (x/…gx reads it live).
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

N=4000
# the writable PT_LOAD segments, from readelf
mapfile -t segs < <(readelf -lW "$HELLO" | awk '$1 == "LOAD" && $7 ~ /W/ { print $3, $6 }')
[ "${#segs[@]}" -gt 0 ] || { echo "readelf: no writable segment in $HELLO" >&2; exit 99; }
XS=()
for seg in "${segs[@]}"; do
	read -r start size <<<"$seg"
	XS+=(-ex "x/$(((size + 7) / 8))gx $start")
done
bs --batch --json --trace "$TMP/trace.jsonl" -ex 'info registers' -ex "stepi $N" \
	-ex 'info registers' -ex 'x/1024gx $rsp - 4096' "${XS[@]}" "$HELLO" \
	>"$TMP/out.jsonl" 2>"$TMP/err" || { fail "bootscope: $(cat "$TMP/err")"; finish; }

python3 - "$TMP/trace.jsonl" "$TMP/out.jsonl" "$N" <<'PY' || fail "the trace does not match the live process"
import sys
from events import hexint, load, named
trace = load(sys.argv[1])
out = load(sys.argv[2])
n = int(sys.argv[3])
regs = named(out, "registers")
xs = named(out, "x")
assert len(trace) == n, f"{len(trace)} lines, want {n}"
keys = ["step", "pc", "symbol", "stage", "insn", "regs", "mem"]
r = {k: hexint(v) for k, v in regs[0]["regs"].items()}
mem = {}
for i, t in enumerate(trace, 1):
    assert list(t) == keys, f"line {i}: members {list(t)}"
    assert t["step"] == i, f"line {i}: step {t['step']}"
    assert hexint(t["pc"]) == r["rip"], f"step {i}: pc {t['pc']}, rip was {r['rip']:#x}"
    for k, v in t["regs"].items():
        assert hexint(v) != r[k], f"step {i}: {k} listed but unchanged"
        r[k] = hexint(v)
    for w in t["mem"]:
        a, old, new = hexint(w["addr"]), bytes.fromhex(w["old"]), bytes.fromhex(w["new"])
        assert len(old) == len(new) == w["size"], w
        for k, (o, b) in enumerate(zip(old, new)):
            if a + k in mem:
                assert mem[a + k] == o, f"step {i}: old byte at {a + k:#x} is {o:#x}, the trace wrote {mem[a + k]:#x}"
            mem[a + k] = b
live = {k: hexint(v) for k, v in regs[1]["regs"].items()}
for k in live:
    assert r[k] == live[k], f"{k}: rebuilt {r[k]:#x}, live {live[k]:#x}"
checked = 0
for x in xs:
    for item in x["items"]:
        a, v = hexint(item["addr"]), item["value"]
        for k in range(8):
            if a + k in mem:
                assert mem[a + k] == (v >> (8 * k)) & 0xff, f"byte at {a + k:#x}: trace {mem[a + k]:#x}, live {(v >> 8 * k) & 0xff:#x}"
                checked += 1
stages = {t["stage"] for t in trace}
assert checked > 500, f"only {checked} written bytes checked"
print(f"{n} steps, {sum(len(t['mem']) for t in trace)} writes, {checked} written bytes checked live, {len(stages)} stages")
PY

# A trace that cannot be written fails at the step that meets the failure
# (the first 64 KiB), not at the end, with the file and the reason.
rc=0
bs --batch --json --trace /dev/full -ex 'stepi 3000' "$HELLO" >"$TMP/full.jsonl" 2>"$TMP/full.err" || rc=$?
[ "$rc" -eq 1 ] || fail "/dev/full: exit status $rc, want 1"
python3 - "$TMP/full.jsonl" <<'PY' || fail "/dev/full: not reported by the stepi that met it"
import sys
from events import load, named
ev = load(sys.argv[1])
errs = named(ev, "error")
assert len(errs) == 1, errs
e = errs[0]
assert e["message"] == "cannot write the trace /dev/full: no space left on device", e
assert e.get("file") == "-ex" and e.get("line") == 1, e
PY
rc=0
bs --batch --trace /dev/full -ex 'stepi 3000' "$HELLO" >/dev/null 2>"$TMP/full.err" || rc=$?
[ "$rc" -eq 1 ] || fail "/dev/full (text): exit status $rc, want 1"
[ "$(wc -l <"$TMP/full.err")" -eq 1 ] && grep -q "cannot write the trace /dev/full: no space left on device" "$TMP/full.err" ||
	fail "/dev/full (text): $(cat "$TMP/full.err")"

# A full filesystem (a 96 KiB tmpfs in a private mount namespace, where
# this machine allows one): the trace keeps only whole lines.
mkdir "$TMP/small"
rc=0
command -v unshare >/dev/null &&
unshare -m sh -c 'mount -t tmpfs -o size=96k tmpfs "$1" 2>/dev/null || exit 77
	dir=$1 out=$2; shift 2; rc=0; "$@" || rc=$?
	cp "$dir/t.jsonl" "$out"; exit $rc' sh "$TMP/small" "$TMP/small.jsonl" \
	"${PIN[@]}" env -i PATH="$PATH" "$BOOTSCOPE" --batch --trace "$TMP/small/t.jsonl" \
	-ex 'stepi 3000' "$HELLO" >/dev/null 2>"$TMP/small.err" || rc=$?
if [ "$rc" -eq 77 ] || ! command -v unshare >/dev/null; then
	echo "no private tmpfs here: the full filesystem is not tried"
else
	[ "$rc" -eq 1 ] || fail "full tmpfs: exit status $rc, want 1"
	grep -q "cannot write the trace $TMP/small/t.jsonl: no space left on device" "$TMP/small.err" ||
		fail "full tmpfs: $(cat "$TMP/small.err")"
	python3 - "$TMP/small.jsonl" <<'PY' || fail "full tmpfs: the trace ends in a cut line"
import sys
from events import parse
raw = open(sys.argv[1], "rb").read()
assert raw and raw.endswith(b"\n"), raw[-80:]
lines = parse(raw.decode())
assert [t["step"] for t in lines] == list(range(1, len(lines) + 1))
print(f"full tmpfs: {len(lines)} whole lines kept")
PY
fi

# Symbols are any bytes: the trace stays valid UTF-8 JSON as docs/json.md
# writes it, with control characters and DEL escaped, a byte that is not
# UTF-8 as U+FFFD and the exact bytes in symbol_hex. The copy's _rt0_amd64
# is renamed to such bytes.
python3 - "$HELLO" "$TMP/oddsym" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
odd = b'_r"\x7f\xff\x01\\\xc3\xa94'
assert len(odd) == len(b"_rt0_amd64") and d.count(b"\0_rt0_amd64\0") >= 1
open(sys.argv[2], "wb").write(d.replace(b"\0_rt0_amd64\0", b"\0" + odd + b"\0"))
PY
chmod +x "$TMP/oddsym"
bs --batch --trace "$TMP/odd.jsonl" -ex 'stepi 3' "$TMP/oddsym" >/dev/null 2>"$TMP/err" ||
	fail "odd symbols: $(cat "$TMP/err")"
python3 - "$TMP/odd.jsonl" <<'PY' || fail "odd symbols: the trace is not valid JSON or loses bytes"
import sys
from events import parse
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")  # strict: raw 0xff bytes fail here
assert "\x7f" not in text and "\\u007f" in text, "DEL not escaped"
lines = parse(text)
syms = [t["symbol"] for t in lines]
want = '_r"\x7f\ufffd\x01\\\u00e94'
assert want in syms and want + "+0x4" in syms, syms
exact = [bytes.fromhex(t["symbol_hex"]) if "symbol_hex" in t else t["symbol"].encode() for t in lines]
odd = b'_r"\x7f\xff\x01\\\xc3\xa94'
assert odd in exact and odd + b"+0x4" in exact, exact
PY
finish
