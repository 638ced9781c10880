#!/usr/bin/env bash
# A recording's sections (docs/timeline.md), with the checksum fixed up so
# only the section check can refuse them: a repeated section is refused
# (it would replace and leak the first copy), a missing required one is
# named, bytes after the last section are refused; a recording without an
# optional section (maps, zero, threads, stages) replays every view, and a
# version 1 file (no stages section) still loads, its stages found again.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

REC=$TMP/boot.bstl
record_hello 1500 "$REC"

pybstl - "$REC" "$TMP" <<'PY'
import sys
import bstl
d = open(sys.argv[1], "rb").read()
secs = bstl.sections(d)
out = sys.argv[2]
for i, (typ, _, _) in enumerate(secs):
    rep = secs[:i + 1] + [secs[i]] + secs[i + 1:]
    open("%s/repeat%d.bstl" % (out, typ), "wb").write(bstl.build(d, rep))
    rm = secs[:i] + secs[i + 1:]
    open("%s/remove%d.bstl" % (out, typ), "wb").write(bstl.build(d, rm))
tail = bstl.build(d, secs) + b"\0" * 16
open("%s/tail.bstl" % out, "wb").write(bstl.fix(tail))
v1 = bytearray(bstl.build(d, [s for s in secs if s[0] not in (8, 9)]))
v1[8] = 1
open("%s/v1.bstl" % out, "wb").write(bstl.fix(v1))
PY

VIEWS=(-ex 'goto 1000' -ex 'info registers rip' -ex 'info stack 8' -ex 'x/4gx $rsp'
       -ex 'info threads' -ex 'reverse-stepi 10' -ex 'info gmp')
names=([1]=program [2]=state [3]=maps [4]=zero [5]=pages [6]=steps [7]=threads [8]=stages [9]=syscalls)

refused() { # file, expected text
	local rc=0 out
	out=$(timeout 60 "${PIN[@]}" env -i PATH="$PATH" "$BOOTSCOPE" --batch --replay "$1" \
		"${VIEWS[@]}" 2>&1 >/dev/null) || rc=$?
	[ "$rc" -eq 1 ] || { fail "$(basename "$1"): exit status $rc, want 1 ($out)"; return; }
	[[ $out == *"cannot load recording $1: "*"$2"* ]] ||
		fail "$(basename "$1"): '$out' lacks '$2'"
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$(basename "$1"): more than one line: $out"
	echo "$(basename "$1"): $out"
}

for t in 1 2 3 4 5 6 7 8 9; do
	refused "$TMP/repeat$t.bstl" "repeats the ${names[$t]} section (type $t)"
done
for t in 1 2 5 6; do
	refused "$TMP/remove$t.bstl" "the ${names[$t]} section (type $t) is missing"
done
refused "$TMP/tail.bstl" "16 bytes after the last of its 9 sections"

# the optional sections: the views work without them
for t in 3 4 7 8 9; do
	rc=0
	out=$(timeout 60 "${PIN[@]}" env -i PATH="$PATH" "$BOOTSCOPE" --batch --replay \
		"$TMP/remove$t.bstl" "${VIEWS[@]}" 2>&1) || rc=$?
	[ "$rc" -eq 0 ] || fail "without the ${names[$t]} section: exit status $rc: $out"
	[[ $out == *rip* ]] || fail "without the ${names[$t]} section: no registers shown: $out"
done

# version 1: the stages come from the pcs of the steps, as the live run
# reached them by stepping
live=$(bs --batch -ex 'stepi 1500' -ex 'info stages' "$HELLO" | grep -E '^[* ] +[0-9]+ ')
old=$(timeout 60 "${PIN[@]}" env -i PATH="$PATH" "$BOOTSCOPE" --batch --replay "$TMP/v1.bstl" \
	-ex 'info stages' 2>&1 | grep -E '^[* ] +[0-9]+ ') || fail "a version 1 file does not load"
[ -n "$live" ] && [ "$live" = "$old" ] || fail "version 1 file: stages differ from the live run: $(diff <(echo "$live") <(echo "$old"))"
finish
