#!/usr/bin/env bash
# valgrind memcheck over the timeline: a recorded stepping session (every
# step notes the threads, compared with the snapshot before), going back
# and forth in it, saving; replaying the saved file; and refusing a
# recording with a repeated section. No memory error, no definite or
# indirect leak.
. "$(dirname "$0")/lib.sh"
need_valgrind "$BOOTSCOPE"
skip_without_ptrace

vg() {
	timeout -k 2 300 "${PIN[@]}" env -i PATH="$PATH" valgrind --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect -q "$BOOTSCOPE" "$@"
}

REC=$TMP/boot.bstl
rc=0
vg --batch --record "$REC" -ex 'stepi 300' -ex 'reverse-stepi 10' -ex 'goto 100' \
	-ex 'stepi 5' -ex 'info threads' "$HELLO" >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
[ "$rc" -eq 0 ] || fail "recording: valgrind status $rc: $(head -40 "$TMP/err")"
[ -s "$REC" ] || fail "recording: nothing saved"

rc=0
vg --batch --replay "$REC" -ex 'goto 300' -ex 'reverse-continue' -ex 'reverse-stepi 20' \
	-ex 'info threads' -ex 'info stack 4' -ex 'stepi 7' >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
[ "$rc" -eq 0 ] || fail "replay: valgrind status $rc: $(head -40 "$TMP/err")"

pybstl - "$REC" "$TMP/repeat.bstl" <<'PY'
import sys
import bstl
d = open(sys.argv[1], "rb").read()
secs = bstl.sections(d)
open(sys.argv[2], "wb").write(bstl.build(d, [secs[0]] + secs))
PY
rc=0
vg --batch --replay "$TMP/repeat.bstl" -ex 'info registers' >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
[ "$rc" -eq 1 ] || fail "repeated section: status $rc, want 1: $(head -40 "$TMP/err")"
grep -q "repeats the program section" "$TMP/err" || fail "repeated section: $(head -40 "$TMP/err")"
finish
