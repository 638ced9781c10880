#!/usr/bin/env bash
# A recording whose step records were edited but whose checksum was fixed
# up is refused or replayed, never a crash: for a fixed set of single-byte
# edits (in a frame's leading length, its body and its trailing length, for
# every 50th step), `--replay` with goto, reverse-continue and
# reverse-stepi across the whole record exits 0 or 1 with one line on
# stderr. The trailing length is what backward navigation reads; before it
# was checked at load, such an edit reached abort().
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

REC=$TMP/boot.bstl
record_hello 3000 "$REC"

pybstl - "$REC" "$TMP/edited" <<'PY'
import os, sys
import bstl
d0 = open(sys.argv[1], "rb").read()
off, n = bstl.steps_range(d0)
frames, p = [], off
while p < off + n:
    v = sh = 0
    q = p
    while True:
        b = d0[q]
        q += 1
        v |= (b & 0x7f) << sh
        sh += 7
        if not b & 0x80:
            break
    frames.append((p, q, v, q + v))  # lead, body, body length, trail
    p = q + v + (q - p)
os.mkdir(sys.argv[2])
k = 0
for i in range(0, len(frames), 50):
    lead, body, blen, trail = frames[i]
    for pos, x in ((lead, 0x01), (body + blen // 2, 0x10), (trail, 0x01), (trail, 0x40)):
        d = bytearray(d0)
        d[pos] ^= x
        open("%s/%04d-step%d.bstl" % (sys.argv[2], k, i + 1), "wb").write(bstl.fix(d))
        k += 1
PY
read -r first last < <(python3 -c '
import struct, sys
print(*struct.unpack_from("<QQ", open(sys.argv[1], "rb").read(), 32))' "$REC")

runs=0 refused=0
for f in "$TMP"/edited/*.bstl; do
	rc=0
	timeout 60 "${PIN[@]}" env -i PATH="$PATH" "$BOOTSCOPE" --batch --replay "$f" \
		-ex "goto $last" -ex reverse-continue -ex 'reverse-stepi 50' \
		-ex "goto $first" -ex "goto $last" >/dev/null 2>"$TMP/err" || rc=$?
	runs=$((runs + 1))
	lines=$(wc -l <"$TMP/err")
	case $rc in
	0) [ "$lines" -eq 0 ] || fail "$(basename "$f"): exit 0 with: $(cat "$TMP/err")" ;;
	1)
		refused=$((refused + 1))
		[ "$lines" -eq 1 ] || fail "$(basename "$f"): $lines lines: $(cat "$TMP/err")"
		grep -q "$f" "$TMP/err" || fail "$(basename "$f"): the message does not name the file: $(cat "$TMP/err")"
		;;
	*) fail "$(basename "$f"): exit status $rc: $(head -c 300 "$TMP/err")" ;;
	esac
done
echo "$runs edited recordings: $refused refused, $((runs - refused)) replayed"
[ "$refused" -gt 0 ] || fail "no edit was refused"
finish
