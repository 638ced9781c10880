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
import json, sys
trace = [json.loads(l) for l in open(sys.argv[1])]
out = [json.loads(l) for l in open(sys.argv[2])]
n = int(sys.argv[3])
regs = [e for e in out if e["event"] == "registers"]
xs = [e for e in out if e["event"] == "x"]
assert len(trace) == n, f"{len(trace)} lines, want {n}"
keys = ["step", "pc", "symbol", "stage", "insn", "regs", "mem"]
r = {k: int(v, 16) for k, v in regs[0]["regs"].items()}
mem = {}
for i, t in enumerate(trace, 1):
    assert list(t) == keys, f"line {i}: members {list(t)}"
    assert t["step"] == i, f"line {i}: step {t['step']}"
    assert int(t["pc"], 16) == r["rip"], f"step {i}: pc {t['pc']}, rip was {r['rip']:#x}"
    for k, v in t["regs"].items():
        assert int(v, 16) != r[k], f"step {i}: {k} listed but unchanged"
        r[k] = int(v, 16)
    for w in t["mem"]:
        a, old, new = int(w["addr"], 16), bytes.fromhex(w["old"]), bytes.fromhex(w["new"])
        assert len(old) == len(new) == w["size"], w
        for k, (o, b) in enumerate(zip(old, new)):
            if a + k in mem:
                assert mem[a + k] == o, f"step {i}: old byte at {a + k:#x} is {o:#x}, the trace wrote {mem[a + k]:#x}"
            mem[a + k] = b
live = {k: int(v, 16) for k, v in regs[1]["regs"].items()}
for k in live:
    assert r[k] == live[k], f"{k}: rebuilt {r[k]:#x}, live {live[k]:#x}"
checked = 0
for x in xs:
    for item in x["items"]:
        a, v = int(item["addr"], 16), item["value"]
        for k in range(8):
            if a + k in mem:
                assert mem[a + k] == (v >> (8 * k)) & 0xff, f"byte at {a + k:#x}: trace {mem[a + k]:#x}, live {(v >> 8 * k) & 0xff:#x}"
                checked += 1
stages = {t["stage"] for t in trace}
assert checked > 500, f"only {checked} written bytes checked"
print(f"{n} steps, {sum(len(t['mem']) for t in trace)} writes, {checked} written bytes checked live, {len(stages)} stages")
PY
finish
