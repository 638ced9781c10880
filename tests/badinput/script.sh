#!/usr/bin/env bash
# Bad scripts: an unknown command, a bad number, an unknown stage (with the
# nearest stage names), an unreadable script, an overlong or binary line.
# Each is one error line "FILE:LINE: message" (or "-ex N: message"), the
# script stops there (what came before ran, nothing after; a failed -ex is
# followed by the next -ex, as in gdb), exit status 1;
# in JSON the error event carries "file" and "line". A script that cannot
# be read fails before the TUI starts.
# usage: script.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

# script_case NAME LINE_NO WANT COMMAND: a three-line script whose line
# LINE_NO (2) is COMMAND, between an echo that must run and one that must not.
script_case() {
	local name=$1 want=$2 cmd=$3 s="$TMP/$1.bs"
	printf 'echo before\\n\n%s\necho after\\n\n' "$cmd" >"$s"
	bs 30 --batch -x "$s"
	no_crash "$name"
	expect_rc 1 "$name"
	[ "$(lines "$TMP/err")" -eq 1 ] || fail "$name: want one error line, got: $(cat "$TMP/err")"
	has "$TMP/err" "$s:2: $want" "$name"
	has "$TMP/out" "before" "$name: the line before did not run"
	hasnt "$TMP/out" "after" "$name: the script went on after the error"

	bs 30 --batch --json -x "$s"
	expect_rc 1 "$name (json)"
	check_jsonl "$TMP/out" "$name (json)"
	[ "$(json_get "$TMP/out" error file)" = "$s" ] || fail "$name (json): file is not $s: $(cat "$TMP/out")"
	[ "$(json_get "$TMP/out" error line)" = 2 ] || fail "$name (json): line is not 2: $(cat "$TMP/out")"

	# -ex commands go on after an error, as in gdb
	bs 30 --batch -ex 'echo before\n' -ex "$cmd" -ex 'echo after\n'
	expect_rc 1 "$name (-ex)"
	has "$TMP/err" "-ex 2: $want" "$name (-ex)"
	has "$TMP/out" "after" "$name (-ex): the next -ex did not run"
}

script_case unknown-command "undefined command 'frobnicate'" "frobnicate now"
script_case shell-escape "undefined command 'shell'" "shell touch $TMP/pwned"
script_case bang-escape "undefined command '!touch'" "!touch $TMP/pwned"
script_case bad-count "invalid count '12x'" "stepi 12x"
script_case negative-count "invalid count '-3'" "stepi -3"
script_case huge-count "invalid count '99999999999999999999999'" "continue 99999999999999999999999"
script_case bad-x-format "invalid format letter 'q'" "x/2q \$sp"
script_case bad-expression "cannot parse '1 +'" "print 1 +"
script_case cast-no-type "no type named 'struct nosuch'" "print (struct nosuch *)0"
script_case no-field "no field 'nosuch' in g" "print runtime.g0.nosuch"
script_case at-not-in-memory "only a typed object in memory can be repeated with '@'" "print 1@2"
script_case ptype-nothing "no symbol or type named 'nosuch'" "ptype nosuch"
script_case whatis-nothing "no symbol or type named 'nosuch'" "whatis nosuch"
script_case bad-breakpoint-number "invalid breakpoint number 'one'" "delete one"
[ ! -e "$TMP/pwned" ] || fail "a script ran a shell command"

# Unknown stages: the nearest catalog names are offered. The witness is
# the catalog itself (--list-stages --json) and a plain edit distance: the
# first suggestion must be the catalog name closest to the typo.
bs 20 --list-stages --json "$HELLO"
cp "$TMP/out" "$TMP/catalog.jsonl"
nearest() {
	python3 - "$TMP/catalog.jsonl" "$1" <<'PY'
import sys
from events import load
def lev(a, b):
    d = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, d[0] = d[0], i
        for j, cb in enumerate(b, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (ca != cb))
    return d[-1]
typo = sys.argv[2]
stages = [s for e in load(sys.argv[1]) for s in e.get("stages", [])]
best = sorted(stages, key=lambda s: min(lev(typo, s["name"]), lev(typo, s["short"])))
print(best[0]["name"])
PY
}
for typo in schedinti newprc runtime.mstrt rt0go.wire findrunable; do
	near=$(nearest "$typo")
	printf 'break %s\n' "$typo" >"$TMP/stage.bs"
	bs 20 --batch -x "$TMP/stage.bs"
	expect_rc 1 "unknown stage $typo"
	has "$TMP/err" "$TMP/stage.bs:1: no stage or symbol '$typo'; did you mean $near" "unknown stage $typo"
done

# Scripts that cannot be read.
bs 20 --batch -x "$TMP/no-such.bs"
expect_rc 1 "missing script"
has "$TMP/err" "cannot open script $TMP/no-such.bs" "missing script"
bs 20 --batch -x "$TMP"
no_crash "a directory as script"
expect_rc 1 "a directory as script"
has "$TMP/err" "cannot read script $TMP" "a directory as script"

# On a terminal: refused before the TUI takes the screen.
for bad in "$TMP/no-such.bs" "$TMP"; do
	bs_tui 20 -x "$bad" "$HELLO"
	no_crash "unreadable script $bad (tui)"
	expect_rc 1 "unreadable script $bad (tui)"
	has "$TMP/tty" "script $bad" "unreadable script $bad (tui)"
	if grep -q $'\e' "$TMP/tty"; then
		fail "unreadable script $bad (tui): the terminal was initialised"
	fi
done

# An overlong line and binary junk: errors, not crashes. A command longer
# than the interpreter takes is refused by it; a line longer than 64 KiB is
# not even read to its end (it may never end: /dev/zero).
python3 -c 'print("echo " + "A" * 5000)' >"$TMP/long.bs"
bs 20 --batch -x "$TMP/long.bs"
no_crash "overlong command"
expect_rc 1 "overlong command"
has "$TMP/err" "$TMP/long.bs:1: command line too long" "overlong command"
python3 -c 'print("echo ok\\n"); print("echo " + "A" * 100000); print("echo notreached")' >"$TMP/long.bs"
bs 20 --batch -x "$TMP/long.bs"
no_crash "overlong line"
expect_rc 1 "overlong line"
has "$TMP/err" "$TMP/long.bs:2: line is longer than 65536 bytes" "overlong line"
has "$TMP/out" "ok" "overlong line: the line before"
hasnt "$TMP/out" "notreached" "overlong line: the script went on"
python3 -c 'import random, sys; r = random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(4096)))' >"$TMP/junk.bs"
printf '\nfrob\377\376\n' >>"$TMP/junk.bs"
bs 20 --batch --json -x "$TMP/junk.bs"
no_crash "binary junk"
expect_rc 1 "binary junk"
check_jsonl "$TMP/out" "binary junk"

finish
