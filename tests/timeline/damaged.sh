#!/usr/bin/env bash
# A damaged recording is refused: `bootscope --replay` exits 1 with one line
# naming the file and the fault (also as a JSON error event), for a
# truncated file, a flipped byte, a wrong magic and a wrong version; an
# intact copy of the same file replays.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

REC=$TMP/boot.bstl
record_hello 2000 "$REC"
size=$(stat -c %s "$REC")

out=$(bs --batch --replay "$REC" -ex 'goto 1500' -ex 'info registers rip' 2>&1) ||
	fail "the intact recording does not replay: $out"

damage() { # name, then a python statement changing bytearray d
	python3 - "$REC" "$TMP/$1.bstl" "$2" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
exec(sys.argv[3])
open(sys.argv[2], "wb").write(d)
PY
}

check() { # name, expected text in the message
	local file=$TMP/$1.bstl rc=0 out
	out=$(bs --batch --replay "$file" -ex 'info registers' 2>&1 >/dev/null) || rc=$?
	[ "$rc" -eq 1 ] || fail "$1: exit status $rc, want 1"
	case $out in
	*"cannot load recording $file: "*"$2"*) echo "$1: $out" ;;
	*) fail "$1: message '$out' lacks the file and '$2'" ;;
	esac
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$1: more than one line: $out"
	rc=0
	bs --batch --json --replay "$file" >"$TMP/json" 2>/dev/null || rc=$?
	[ "$rc" -eq 1 ] || fail "$1 (json): exit status $rc, want 1"
	python3 - "$TMP/json" "$2" <<'PY' || fail "$1: no JSON error event"
import sys
from events import load
ev = load(sys.argv[1])
assert ev and ev[-1]["event"] == "error" and sys.argv[2] in ev[-1]["message"], ev
PY
}

damage truncated "del d[len(d) // 2:]"
check truncated "truncated (the header says $size bytes, the file has $((size / 2)))"
damage flipped "d[len(d) // 2] ^= 0x40"
check flipped "checksum mismatch"
damage flipped_header "d[36] ^= 1"
check flipped_header "checksum mismatch"
damage magic "d[0:8] = b'ELF\\x7f\\x00\\x00\\x00\\x00'"
check magic "not a bootscope recording (bad magic)"
damage version "d[8] = 4"
check version "format version 4 is not supported (this bootscope reads versions 1 to 3)"
damage empty "del d[:]"
check empty "bad magic"
rc=0
out=$(bs --batch --replay "$TMP/missing.bstl" 2>&1) || rc=$?
[ "$rc" -eq 1 ] && [[ $out == *"$TMP/missing.bstl"*"no such file"* ]] ||
	fail "a missing file: status $rc, '$out'"

# Not a regular file: refused at once with what it is. A FIFO with no
# writer used to block in open() forever.
mkfifo "$TMP/fifo"
mkdir "$TMP/dir"
for f in "$TMP/fifo:a FIFO" "$TMP/dir:a directory" "/dev/zero:a character device"; do
	path=${f%%:*} kind=${f#*:} rc=0
	out=$(timeout 20 "${PIN[@]}" env -i PATH="$PATH" "$BOOTSCOPE" --batch --replay "$path" \
		-ex 'info registers' 2>&1 </dev/null) || rc=$?
	[ "$rc" -eq 1 ] || fail "$path: exit status $rc, want 1 (124: it hung): $out"
	[ "$out" = "bootscope: cannot load recording $path: not a regular file ($kind)" ] ||
		fail "$path: '$out'"
done
finish
