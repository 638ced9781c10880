#!/usr/bin/env bash
# Output that cannot be written (/dev/full stands for a full disk): the
# failed write of standard output is an error, said once on standard error
# ("cannot write standard output: no space left on device"), exit status 1,
# and the commands stop; in text and JSON mode, for output past 64 KiB, in
# the line mode, for --help, --version, --list-stages and --lab list.
# usage: output.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
[ -w /dev/full ] || { echo "skip: no /dev/full"; exit 77; }

want="bootscope: cannot write standard output: no space left on device"

# full OUT_WHAT ARGS...: bootscope ARGS with stdout on /dev/full
full() {
	local what=$1
	shift
	RC=0
	timeout -k 2 60 "$BOOTSCOPE" "$@" >/dev/full 2>"$TMP/err" </dev/null || RC=$?
	no_crash "$what"
	expect_rc 1 "$what"
	[ "$(grep -cF -- "$want" "$TMP/err")" -eq 1 ] ||
		fail "$what: want '$want' once on stderr: $(head -c 400 "$TMP/err")"
}

full "--help" --help
full "--version" --version
full "--list-stages" --list-stages "$HELLO"
full "--lab list" --lab list
full "text" --batch -ex starti -ex 'info registers' "$HELLO"
full "json" --batch --json -ex starti -ex 'info registers' "$HELLO"

# Past 64 KiB (more than any stdio buffer): 200 views of about 1 KiB.
for _ in $(seq 200); do echo 'info registers'; done >"$TMP/many.bs"
bs 60 --batch -x "$TMP/many.bs" "$HELLO"
expect_rc 0 "200 views to a file"
[ "$(wc -c <"$TMP/out")" -gt 65536 ] || fail "200 views are only $(wc -c <"$TMP/out") bytes"
full "text past 64 KiB" --batch -x "$TMP/many.bs" "$HELLO"
full "json past 64 KiB" --batch --json -x "$TMP/many.bs" "$HELLO"
# the line mode (commands on stdin)
RC=0
timeout -k 2 60 "$BOOTSCOPE" "$HELLO" <"$TMP/many.bs" >/dev/full 2>"$TMP/err" || RC=$?
no_crash "line mode"
expect_rc 1 "line mode"
[ "$(grep -cF -- "$want" "$TMP/err")" -eq 1 ] || fail "line mode: $(head -c 400 "$TMP/err")"

# The commands stop at the failure: a later command that would leave a
# trace outside standard output (record save writes a file) never runs.
printf 'starti\nstepi 3\nrecord save %s\n' "$TMP/saved.rec" >"$TMP/save.bs"
bs 60 --batch -x "$TMP/save.bs" "$HELLO"
expect_rc 0 "record save to a file"
[ -s "$TMP/saved.rec" ] || fail "record save wrote nothing"
rm -f "$TMP/saved.rec"
full "stop at the failure" --batch -x "$TMP/save.bs" "$HELLO"
[ ! -e "$TMP/saved.rec" ] || fail "the commands went on after the output failed"

# A write that works is not an error.
bs 60 --batch -ex starti -ex 'info registers' "$HELLO"
expect_rc 0 "a writable stdout"
[ ! -s "$TMP/err" ] || fail "a writable stdout: stderr is not empty: $(head -c 300 "$TMP/err")"

finish
