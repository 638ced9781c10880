#!/usr/bin/env bash
# --json strings are lossless (docs/json.md, Conventions): a string member
# that is not valid UTF-8 carries its exact bytes in KEY_hex, so a raw 0xff
# byte and a real 'ÿ' (c3 bf) read differently, and the documented recovery
# gives back every byte: 0x7f, the other control characters, NUL, a real
# U+FFFD, cut UTF-8 sequences, and 4 KiB of random bytes the target writes.
# Every line must be strict JSON: valid UTF-8 text, and no string that is
# not Unicode (a lone surrogate such as \udcff would be).
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

# recover JSONL KEY EVENT: the bytes of every EVENT's KEY, concatenated,
# the documented way, as hex; also checks the lines are strict JSON.
recover() {
	python3 - "$@" <<'PY'
import json, sys
path, key, event = sys.argv[1:4]
out = b""
for n, raw in enumerate(open(path, "rb"), 1):
    line = raw.decode("utf-8")              # strict: valid UTF-8 text
    o = json.loads(line)
    def walk(v):
        if isinstance(v, str):
            v.encode("utf-8")                # strict: no lone surrogate
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(o)
    if o.get("event") != event:
        continue
    k = key
    raw = bytes.fromhex(o[k + "_hex"]) if k + "_hex" in o else o[k].encode("utf-8")
    out += raw
print(out.hex())
PY
}

# ---- echo of raw bytes from a script --------------------------------------------
# the echo text of each line: 0xff | ÿ | DEL | ^A | NUL-free controls | U+FFFD | a cut sequence
printf 'echo \377\n' >"$TMP/ff.bs"
printf 'echo \303\277\n' >"$TMP/y.bs"
printf 'echo \177\001\033\a\b\f\v\n' >"$TMP/ctl.bs"
printf 'echo \357\277\275\n' >"$TMP/fffd.bs"
printf 'echo a\342\202b\300\257\355\240\200\n' >"$TMP/cut.bs"
for c in "ff:ff" "y:c3bf" "ctl:7f01 1b07080c0b" "fffd:efbfbd" "cut:61e28262c0afeda080"; do
	name=${c%%:*} want=${c#*:}
	want=${want// /}
	bs_json -x "$TMP/$name.bs" "$HELLO" || fail "echo $name: status $?"
	got=$(recover "$TMP/out.jsonl" text echo) || fail "echo $name: not strict JSON: $(cat "$TMP/out.jsonl")"
	[ "$got" = "$want" ] || fail "echo $name: recovered $got, want $want: $(cat "$TMP/out.jsonl")"
done
# 0xff and ÿ are different JSON
bs_json -x "$TMP/ff.bs" "$HELLO"
ff=$(cat "$TMP/out.jsonl")
bs_json -x "$TMP/y.bs" "$HELLO"
[ "$ff" != "$(cat "$TMP/out.jsonl")" ] || fail "0xff and ÿ give the same JSON: $ff"
python3 -c '
import json, sys
ff, y = (json.loads(l) for l in sys.argv[1:3])
assert ff == {"event": "echo", "text": "\ufffd", "text_hex": "ff"}, ff
assert y == {"event": "echo", "text": "\xff"}, y' "$ff" "$(cat "$TMP/out.jsonl")" || fail "0xff vs ÿ: $ff"

# ---- what the target writes ----------------------------------------------------
# 4 KiB of random bytes (a fixed seed) through cat: the output events,
# however split, give back exactly the file.
python3 -c '
import random, sys
r = random.Random(18)
sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(4096)))' >"$TMP/random.bin"
printf '\377\303\277\177\000' >>"$TMP/random.bin"
cat_bin=$(command -v cat)
bs_json -ex run "$cat_bin" "$TMP/random.bin" || fail "cat: status $?"
got=$(recover "$TMP/out.jsonl" data output) || fail "cat: not strict JSON"
[ "$got" = "$(od -An -v -tx1 "$TMP/random.bin" | tr -d ' \n')" ] || fail "cat: the recovered bytes differ from the file"

finish
