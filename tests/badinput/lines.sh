#!/usr/bin/env bash
# Lines that are no commands, and errors that quote hostile input, from a
# script (-x) and from standard input (the line mode):
# - a line that never ends (/dev/zero) or is longer than 65536 bytes is
#   refused after 65536 bytes with its line number, exit 1, not read on
#   without bound (a 65536-byte line is still read);
# - a line holding a NUL byte is refused with its line number (a NUL would
#   otherwise cut the line short: "print 1<NUL>+1" printing 1);
# - control characters of the input quoted in an error are shown escaped
#   (\x1b, \n, \t, \x7f): the error stays one line and sends no escape
#   sequence to the terminal, in text and in JSON;
# - the line mode exits 1 when a command failed, 0 when none did.
# usage: lines.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

# no_escape FILE WHAT: FILE holds no ESC, BEL, DEL or CR byte.
no_escape() {
	if LC_ALL=C grep -q $'[\e\a\x7f\r]' "$1"; then
		fail "$2: a raw control character reached the output: $(od -c "$1" | head -5)"
	fi
}

# ---- a line that never ends ----------------------------------------------------
bs 30 --batch -x /dev/zero "$HELLO"
no_crash "-x /dev/zero"
expect_rc 1 "-x /dev/zero"
has "$TMP/err" "/dev/zero:1: line is longer than 65536 bytes" "-x /dev/zero"
[ "$(lines "$TMP/err")" -eq 1 ] || fail "-x /dev/zero: want one line: $(head -c 300 "$TMP/err")"

RC=0
timeout -k 2 30 "$BOOTSCOPE" "$HELLO" </dev/zero >"$TMP/out" 2>"$TMP/err" || RC=$?
no_crash "stdin /dev/zero"
expect_rc 1 "stdin /dev/zero"
has "$TMP/err" "line 1 of standard input is longer than 65536 bytes" "stdin /dev/zero"

bs 30 --batch --json -x /dev/zero "$HELLO"
expect_rc 1 "-x /dev/zero (json)"
check_jsonl "$TMP/out" "-x /dev/zero (json)"
[ "$(json_get "$TMP/out" error line)" = 1 ] || fail "-x /dev/zero (json): $(cat "$TMP/out")"

# the limit is exact: 65536 bytes are a line, 65537 are not
python3 -c 'import sys; sys.stdout.write("#" * 65536 + "\necho ok\\n\n")' >"$TMP/edge.bs"
printf 'echo %s\n' "$(head -c 65532 /dev/zero | tr '\0' x)" >"$TMP/over.bs"
[ "$(head -1 "$TMP/edge.bs" | wc -c)" -eq 65537 ] || fail "edge.bs is not a 65536-byte line"
bs 30 --batch -x "$TMP/edge.bs" "$HELLO"
expect_rc 0 "a 65536-byte line"
has "$TMP/out" "ok" "a 65536-byte line"
bs 30 --batch -x "$TMP/over.bs" "$HELLO"
expect_rc 1 "a 65537-byte line"
has "$TMP/err" "$TMP/over.bs:1: line is longer than 65536 bytes" "a 65537-byte line"

# ---- NUL bytes -------------------------------------------------------------------
printf 'echo before\\n\nprint 1\0+1\necho after\\n\n' >"$TMP/nul.bs"
bs 30 --batch -x "$TMP/nul.bs" "$HELLO"
no_crash "NUL in a script"
expect_rc 1 "NUL in a script"
has "$TMP/err" "$TMP/nul.bs:2: line contains a NUL byte" "NUL in a script"
has "$TMP/out" "before" "NUL in a script: the line before"
hasnt "$TMP/out" '$1 = 1' "NUL in a script: the cut line ran"
hasnt "$TMP/out" "after" "NUL in a script: the script went on"

RC=0
printf 'print 1\0+1\nprint 2\n' | timeout -k 2 30 "$BOOTSCOPE" "$HELLO" >"$TMP/out" 2>"$TMP/err" || RC=$?
no_crash "NUL on stdin"
expect_rc 1 "NUL on stdin"
has "$TMP/err" "line 1 of standard input contains a NUL byte" "NUL on stdin"
hasnt "$TMP/out" '= 1' "NUL on stdin: the cut line ran"
has "$TMP/out" '$1 = 2' "NUL on stdin: the next line runs"

# ---- control characters in errors ----------------------------------------------------
# an ESC sequence (clear screen, set the title), a BEL, a tab, a CR, DEL
esc=$'\e[2J\e]0;pwned\a'
printf 'break frob%s\tx\x7f\r\nprint %s\n' "$esc" "$esc" >"$TMP/esc.bs"
bs 30 --batch -x "$TMP/esc.bs" "$HELLO"
no_crash "escape sequences in a script"
expect_rc 1 "escape sequences in a script"
no_escape "$TMP/err" "escape sequences in a script"
[ "$(lines "$TMP/err")" -eq 1 ] || fail "escape sequences: want one error line: $(cat -v "$TMP/err")"
has "$TMP/err" "$TMP/esc.bs:1: no stage or symbol 'frob\\x1b[2J\\x1b]0;pwned\\x07\\tx\\x7f'" "escaped location"

bs 30 --batch -ex "print $esc" -ex $'print 1 +\n2' -ex $'echo ok\\n' "$HELLO"
expect_rc 1 "escape sequences in -ex"
no_escape "$TMP/err" "escape sequences in -ex"
[ "$(lines "$TMP/err")" -eq 2 ] || fail "escape sequences in -ex: want two error lines: $(cat -v "$TMP/err")"
has "$TMP/err" "-ex 1: cannot parse '\\x1b[2J\\x1b]0;pwned\\x07'" "escaped expression"
has "$TMP/err" "-ex 2: cannot parse '1 +\\n2'" "escaped newline"

# a script whose path holds an escape sequence
bad="$TMP/x"$'\e[31m'".bs"
printf 'frob\n' >"$bad"
bs 30 --batch -x "$bad" "$HELLO"
expect_rc 1 "escape sequence in a script path"
no_escape "$TMP/err" "escape sequence in a script path"
has "$TMP/err" "$TMP/x\\x1b[31m.bs:1: undefined command 'frob'" "escaped path"
bs 30 --batch -x "$bad.missing" "$HELLO"
expect_rc 1 "escape sequence in a missing script's path"
no_escape "$TMP/err" "escape sequence in a missing script's path"
has "$TMP/err" "cannot open script $TMP/x\\x1b[31m.bs.missing" "escaped missing path"
bs 30 "--frob$esc"
expect_rc 2 "escape sequence in an option"
no_escape "$TMP/err" "escape sequence in an option"

# JSON: the message is escaped the same way; the file is the path as given
bs 30 --batch --json -x "$bad" "$HELLO"
expect_rc 1 "escape sequence in a script path (json)"
python3 - "$TMP/out" "$bad" <<'PY' || fail "escape sequences (json): $(cat "$TMP/out")"
import sys
from events import load, named
ev = load(sys.argv[1])
err = named(ev, "error")
assert len(err) == 1, ev
assert err[0]["file"] == sys.argv[2], err
assert err[0]["message"] == "undefined command 'frob'; try help", err
PY

# ---- the line mode's status -------------------------------------------------------
RC=0
printf 'p 1 + 1\nfrobnicate\np 2 + 2\n' | timeout -k 2 30 "$BOOTSCOPE" "$HELLO" >"$TMP/out" 2>"$TMP/err" || RC=$?
expect_rc 1 "line mode with a failing command"
has "$TMP/out" '$2 = 4' "line mode goes on after an error"
has "$TMP/err" "undefined command 'frobnicate'" "line mode error"
RC=0
printf 'p 1 + 1\nstarti\nexpect $rip != 0\n' | timeout -k 2 30 "$BOOTSCOPE" "$HELLO" >"$TMP/out" 2>"$TMP/err" || RC=$?
expect_rc 0 "line mode without a failing command"
RC=0
printf 'p *0\nquit\n' | timeout -k 2 30 "$BOOTSCOPE" --json "$HELLO" >"$TMP/out" 2>"$TMP/err" || RC=$?
expect_rc 1 "line mode (json) with a failing command"

finish
