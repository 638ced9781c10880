#!/usr/bin/env bash
# Source lines, with gdb as the witness on the bundled hello: list,
# info line, break FILE:LINE, the file:line sequence of step and next,
# set substitute-path, and one error line for each bad location.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: no gdb" >&2; exit 77; }

# gdb's "Line N of "F" starts at address A <..> and ends at B" as
# "F N A B" lines, for bootscope's line events to be compared with.
gdb_lines() {
	gdb_batch "$@" | sed -n 's/^Line \([0-9]*\) of "\([^"]*\)" starts at address \(0x[0-9a-f]*\) .* and ends at \(0x[0-9a-f]*\).*/\2 \1 \3 \4/p'
}
bs_lines() {
	python3 -c '
import sys
from events import load
for e in load(sys.argv[1]):
    if e["event"] == "line":
        print(e["file"], e["line"], hex(int(e["start"], 16)), hex(int(e["end"], 16)))
' "$TMP/out.jsonl"
}

# ---- list FUNCTION: the lines gdb lists, the definition among them ------
want=$(gdb_batch -ex 'list runtime.schedinit' | awk -F'\t' '/^[0-9]+\t/ { print $1 }' | paste -sd' ')
want_line=$(gdb_lines -ex 'info line runtime.schedinit' | awk '{ print $2 }')
bs_json -ex 'list runtime.schedinit' "$HELLO" || fail "list runtime.schedinit: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" "$want" "$want_line" <<'PY' || fail "list runtime.schedinit"
import sys
from events import load
ev = [e for e in load(sys.argv[1]) if e["event"] == "list"]
assert len(ev) == 1, ev
got = " ".join(str(l["line"]) for l in ev[0]["lines"])
assert got == sys.argv[2], "lines %s, gdb lists %s" % (got, sys.argv[2])
line = int(sys.argv[3])
# the function's line (gdb's info line) is in the listing, the definition
# just before it, and the file is proc.c
text = {l["line"]: l["text"] for l in ev[0]["lines"]}
assert ev[0]["file"].endswith("target-runtime/proc.c"), ev[0]["file"]
assert any("runtime_schedinit(void)" in text[n] for n in (line - 1, line)), text
assert ev[0]["first"] == line - 5, (ev[0]["first"], line)
PY

# ---- list, list -, list N go on from the last listing, as gdb's --------
want=$(gdb_batch -ex 'list runtime.schedinit' -ex 'list' -ex 'list -' -ex 'list 300' |
	awk -F'\t' '/^[0-9]+\t/ { print $1 }' | paste -sd' ')
bs_json -ex 'list runtime.schedinit' -ex 'list' -ex 'list -' -ex 'list 300' "$HELLO" ||
	fail "list sequence: $(cat "$TMP/err.txt")"
got=$(python3 -c '
import sys
from events import load
print(" ".join(str(l["line"]) for e in load(sys.argv[1]) if e["event"] == "list" for l in e["lines"]))
' "$TMP/out.jsonl")
[ "$got" = "$want" ] || fail "list, list -, list 300: lines $got, gdb $want"

# ---- info line: the same start and end as gdb's --------------------------
# a line of proc.c with code: the one gdb gives for schedinit+0x12
sched=$(nm_addr runtime.schedinit)
line=$(gdb_lines -ex "info line *$((sched + 0x12))" | awk '{ print $2 }')
[ -n "$line" ] || fail "gdb has no line at runtime.schedinit+0x12"
os_line=$(gdb_lines -ex "info line *$(($(nm_addr runtime.getproccount) + 0x2c))" | awk '{ print $2 }')
locs=(runtime.schedinit runtime.osinit runtime.rt0_go runtime.mstart runtime.getproccount
	"proc.c:$line" "os_linux.c:$os_line" "*$((sched + 0xc))")
gargs=() bargs=()
for l in "${locs[@]}"; do
	gargs+=(-ex "info line $l")
	bargs+=(-ex "info line $l")
done
gdb_lines "${gargs[@]}" >"$TMP/gdb_lines.txt"
bs_json "${bargs[@]}" "$HELLO" || fail "info line: $(cat "$TMP/err.txt")"
bs_lines >"$TMP/bs_lines.txt"
[ "$(wc -l <"$TMP/gdb_lines.txt")" -eq ${#locs[@]} ] || fail "gdb answered $(wc -l <"$TMP/gdb_lines.txt") info line"
diff "$TMP/gdb_lines.txt" "$TMP/bs_lines.txt" >&2 || fail "info line differs from gdb's"
echo "info line: ${#locs[@]} locations as gdb"
# a line without code: gdb's words, the next line's address
want=$(gdb_batch -ex 'info line proc.c:1' | grep '^Line ')
got=$(env -u _ "$BOOTSCOPE" --batch -ex 'info line proc.c:1' "$HELLO")
[ "$got" = "$want" ] || fail "info line proc.c:1: '$got', gdb: '$want'"

# ---- break FILE:LINE: gdb's address, and the stop there ----------------
want=$(gdb_batch -ex "break proc.c:$line" | sed -n 's/^Breakpoint 1 at \(0x[0-9a-f]*\):.*/\1/p')
text=$(gdb_batch -ex "list proc.c:$line,$line" | sed -n "s/^$line\t//p")
bs_json -ex "break proc.c:$line" -ex run "$HELLO" || fail "break proc.c:$line: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" "$want" "$line" "$text" <<'PY' || fail "break proc.c:$line"
import sys
from events import load
ev = load(sys.argv[1])
b = [e for e in ev if e["event"] == "break"][0]
assert int(b["addr"], 16) == int(sys.argv[2], 16), (b["addr"], sys.argv[2])
s = [e for e in ev if e["event"] == "stop"][-1]
assert s["reason"] == "breakpoint" and s["line"] == int(sys.argv[3]), s
assert s["file"].endswith("proc.c") and s["source"] == sys.argv[4], (s, sys.argv[4])
PY

# ---- step and next: the same file:line sequence as gdb -------------------
# from a breakpoint in C code (calls into C and into assembly, returns into
# the middle of a line, loops) and next over calls, up to mstart, which its
# CFI marks as the outermost frame (gdb stops in it)
seq_check() { # BREAK CMD N
	local gargs=() bargs=() i
	for ((i = 0; i < $3; i++)); do
		gargs+=(-ex "$2" -ex 'info line *$pc')
		bargs+=(-ex "$2")
	done
	{ gdb_lines -ex "break $1" -ex run "${gargs[@]}" || true; } |
		awk '{ print $1 ":" $2 }' >"$TMP/gdb_seq.txt"
	bs_json -ex "break $1" -ex run "${bargs[@]}" "$HELLO" || true
	python3 -c '
import sys
from events import load
for e in load(sys.argv[1]):
    if e["event"] == "stop" and e["reason"] != "breakpoint":
        print("%s:%s" % (e.get("file"), e.get("line")))
' "$TMP/out.jsonl" >"$TMP/bs_seq.txt"
	local n
	n=$(wc -l <"$TMP/gdb_seq.txt")
	[ "$n" -ge 5 ] || fail "$2 from $1: gdb stopped only $n times"
	if diff "$TMP/gdb_seq.txt" "$TMP/bs_seq.txt" >&2; then
		echo "$2 from $1: $n stops as gdb"
	else
		fail "$2 from $1: the lines differ from gdb's"
	fi
}
seq_check runtime.osinit step 40
seq_check runtime.getproccount next 25
seq_check runtime.osinit next 12
seq_check runtime.args step 25

# ---- set substitute-path moves the look-up -------------------------------
comp_dir=$(readelf --debug-dump=info "$HELLO" | sed -n 's/.*DW_AT_comp_dir.*: \(\/.*\)$/\1/p' | head -1)
[ -n "$comp_dir" ] || fail "no DW_AT_comp_dir in $HELLO"
src=$(cd "$comp_dir" && realpath ../target-runtime/proc.c)
mkdir -p "$TMP/copy/target-runtime" "$TMP/copy/build"
first=$(gdb_lines -ex 'info line runtime.schedinit' | awk '{ print $2 }')
sed "${first}s/\$/ \/* the copy *\//" "$src" >"$TMP/copy/target-runtime/proc.c"
bs_json -ex "set substitute-path $comp_dir $TMP/copy/build" -ex 'show substitute-path' \
	-ex 'list runtime.schedinit' "$HELLO" || fail "substitute-path: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" "$comp_dir" "$TMP/copy/build" "$first" <<'PY' || fail "substitute-path"
import sys
from events import load
ev = load(sys.argv[1])
r = [e for e in ev if e["event"] == "substitute_path"][0]
assert r["rules"] == [{"from": sys.argv[2], "to": sys.argv[3]}], r
l = [e for e in ev if e["event"] == "list"][0]
assert l["path"].startswith(sys.argv[3]), l["path"]
assert any(x["line"] == int(sys.argv[4]) and "the copy" in x["text"] for x in l["lines"]), l["lines"]
PY
# a file not found: the error names the path tried; the stop says so
bs_json -ex "set substitute-path $comp_dir /nonexistent/dir" -ex 'list runtime.schedinit' \
	"$HELLO" && fail "list of a missing file succeeded"
grep -q 'cannot find source file ../target-runtime/proc.c (tried /nonexistent/dir/../target-runtime/proc.c)' \
	"$TMP/out.jsonl" || fail "the missing file's error: $(cat "$TMP/out.jsonl")"
bs_json -ex "set substitute-path $comp_dir /nonexistent/dir" -ex 'break runtime.osinit' -ex run \
	-ex "unset substitute-path $comp_dir" -ex 'list' "$HELLO" || fail "unset: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" <<'PY' || fail "source_tried and unset substitute-path"
import sys
from events import load
ev = load(sys.argv[1])
s = [e for e in ev if e["event"] == "stop"][0]
assert s["source_tried"] == "/nonexistent/dir/../target-runtime/os_linux.c" and "source" not in s, s
l = [e for e in ev if e["event"] == "list"][0]
assert l["current"] == s["line"] and l["first"] == s["line"] - 5, l
PY

# ---- bad input: one error line, a failed batch ---------------------------
for cmd in 'list nosuchfunc' 'list proc.c:99999' 'list foo.c:3' 'break nosuch.c:3' \
	'info line nosuch.c:3' 'until proc.c:99999' 'unset substitute-path /x' 'set substitute-path /x'; do
	rc=0
	env -u _ "$BOOTSCOPE" --batch -ex "$cmd" "$HELLO" >"$TMP/out.txt" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || fail "'$cmd' exited 0"
	[ "$(wc -l <"$TMP/out.txt")" -eq 1 ] || fail "'$cmd' printed: $(cat "$TMP/out.txt")"
	echo "$cmd: $(cat "$TMP/out.txt")"
done

finish
