#!/usr/bin/env bash
# Errors in batch mode run as in gdb, with gdb as the witness of what runs:
# an error in an -ex command is reported and the next -ex still runs; an
# error inside a -x script ends that script, and the next script and the
# -ex commands still run. Unlike gdb, whose status tells only of the last
# command, the status is 1 when any command failed (and 0 when none did).
# A false expect is reported, does not end its script, and makes it 1.
# In JSON every error is an event with its file and line.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

# Both programs print only what their echo commands say, one word a line
# (errors go to stderr); the words must be the same, in the same order.
printf 'echo a1\\n\nfrob\necho a-notreached\\n\n' >"$TMP/a.gdb"
printf 'echo b1\\n\nx/1gx 0\necho b-notreached\\n\n' >"$TMP/b.gdb"
printf 'echo c1\\n\necho c2\\n\n' >"$TMP/c.gdb"

# same WHAT ARGS...: bootscope and gdb print the same words for ARGS.
same() {
	local what=$1 rc=0 want got
	shift
	want=$(gdb_batch "$@" 2>/dev/null | grep -E '^[a-z0-9-]+$' || true)
	got=$(env -u _ "$BOOTSCOPE" --batch "$@" "$HELLO" 2>"$TMP/err") || rc=$?
	[ -n "$want" ] || fail "$what: gdb printed nothing"
	[ "$got" = "$want" ] || fail "$what: bootscope ran '$(echo $got)', gdb '$(echo $want)'"
	echo "$rc" >"$TMP/rc"
}
status() { cat "$TMP/rc"; }

same "failing -ex in the middle" -ex 'echo one\n' -ex 'frob' -ex 'echo two\n'
[ "$(status)" -eq 1 ] || fail "failing -ex in the middle: status $(status), want 1"
[ "$(grep -c '' "$TMP/err")" -eq 1 ] || fail "failing -ex in the middle: one error line: $(cat "$TMP/err")"
grep -qF -- "-ex 2: undefined command 'frob'" "$TMP/err" || fail "failing -ex: $(cat "$TMP/err")"

same "two failing -ex" -ex 'frob' -ex 'echo one\n' -ex 'x/1gx 0' -ex 'echo two\n'
[ "$(status)" -eq 1 ] || fail "two failing -ex: status $(status), want 1"
[ "$(grep -c '' "$TMP/err")" -eq 2 ] || fail "two failing -ex: two error lines: $(cat "$TMP/err")"

same "failing scripts, then -ex" -x "$TMP/a.gdb" -x "$TMP/b.gdb" -x "$TMP/c.gdb" -ex 'echo ex\n'
[ "$(status)" -eq 1 ] || fail "failing scripts: status $(status), want 1"
grep -qF -- "$TMP/a.gdb:2: undefined command 'frob'" "$TMP/err" || fail "script a: $(cat "$TMP/err")"
grep -qF -- "$TMP/b.gdb:2: cannot read memory at 0x0" "$TMP/err" || fail "script b: $(cat "$TMP/err")"

same "nothing fails" -x "$TMP/c.gdb" -ex 'echo ex\n'
[ "$(status)" -eq 0 ] || fail "nothing fails: status $(status), want 0"

same "failing last -ex" -ex 'echo one\n' -ex 'frob'
[ "$(status)" -eq 1 ] || fail "failing last -ex: status $(status), want 1"

# quit ends everything, even after an error
rc=0
out=$(env -u _ "$BOOTSCOPE" --batch -ex frob -ex quit -ex 'echo notreached\n' "$HELLO" 2>/dev/null) || rc=$?
[ "$rc" -eq 1 ] || fail "error then quit: status $rc, want 1"
[ -z "$out" ] || fail "error then quit: the commands after quit ran: $out"

# A false expect goes on, in a script and in -ex; the status is 1.
printf 'echo e1\\n\nexpect 1 == 2\necho e2\\n\n' >"$TMP/e.gdb"
rc=0
out=$(env -u _ "$BOOTSCOPE" --batch -x "$TMP/e.gdb" -ex 'expect 2 == 3' -ex 'echo e3\n' "$HELLO" 2>/dev/null) || rc=$?
[ "$rc" -eq 1 ] || fail "false expects: status $rc, want 1"
[ "$(grep -E '^e[0-9]$' <<<"$out" | tr '\n' ' ')" = "e1 e2 e3 " ] || fail "false expects: the commands after them did not run: $out"

# JSON: one error event per failed command, with its location, in order.
rc=0
env -u _ "$BOOTSCOPE" --batch --json -x "$TMP/a.gdb" -ex frob -ex 'echo ex\n' "$HELLO" \
	>"$TMP/out.jsonl" 2>"$TMP/err" || rc=$?
[ "$rc" -eq 1 ] || fail "json: status $rc, want 1"
python3 - "$TMP/out.jsonl" "$TMP/a.gdb" <<'PY' || fail "json: $(cat "$TMP/out.jsonl")"
import sys
from events import load
ev = load(sys.argv[1])
seq = [(e["event"], e.get("file"), e.get("line"), e.get("text")) for e in ev]
want = [("echo", None, None, "a1\n"), ("error", sys.argv[2], 2, None),
        ("error", "-ex", 1, None), ("echo", None, None, "ex\n")]
assert seq == want, seq
PY


# A lab file's kind marks hold in a plain script: on the bundled hello
# (static, without cgo) a #@only cgo command is skipped, #@only static and
# #@bundled ones run, a mark before #@step covers the step; a malformed
# mark is an error naming its line, which ends the script.
printf '#@only cgo\necho no1\\n\n#@only static\necho yes1\\n\n#@bundled\n#@only nocgo\necho yes2\\n\n#@only dynamic\n#@step S\necho no2\\n\necho no3\\n\n#@step T\necho yes3\\n\n' >"$TMP/marks.bs"
got=$("$BOOTSCOPE" --batch -x "$TMP/marks.bs" "$HELLO" 2>"$TMP/err") || fail "marks: status $?: $(cat "$TMP/err")"
[ "$(echo $got)" = "yes1 yes2 yes3" ] || fail "marks: ran '$(echo $got)', want 'yes1 yes2 yes3'"
printf 'echo m1\\n\n#@only cgo,static\necho m2\\n\n' >"$TMP/badmark.bs"
rc=0
got=$("$BOOTSCOPE" --batch -x "$TMP/badmark.bs" "$HELLO" 2>"$TMP/err") || rc=$?
[ "$rc" -eq 1 ] || fail "a malformed mark: status $rc, want 1"
[ "$(echo $got)" = "m1" ] || fail "a malformed mark ends the script: ran '$(echo $got)'"
grep -qF "badmark.bs:2: #@only takes one kind of binary" "$TMP/err" ||
	fail "a malformed mark: $(cat "$TMP/err")"

finish
