#!/usr/bin/env bash
# bootscope runs only what it is told: the command language has no shell
# escape (no shell, !, pipe, make, run with redirections), the program is
# executed directly (no $SHELL, no PATH search, arguments passed as they
# are, never through a shell).
# usage: noshell.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

mark=$TMP/pwned

# a $SHELL that would leave a mark if anything ran it
cat >"$TMP/evilsh" <<EOS
#!/bin/sh
touch "$mark"
exec /bin/sh "\$@"
EOS
chmod +x "$TMP/evilsh"
export SHELL=$TMP/evilsh

# help lists no way out
bs 20 --batch -ex help "$HELLO"
expect_rc 0 "help"
if grep -E -- '^(shell|pipe|make|python|!)' "$TMP/out"; then
	fail "help lists a command that leaves the debugger"
fi

for cmd in "shell touch $mark" "!touch $mark" "pipe info regs | touch $mark" \
	"| touch $mark" "make" "run > $mark" "run \$(touch $mark)" "python import os"; do
	bs 20 --batch -ex "$cmd" "$HELLO"
	no_crash "$cmd"
	expect_rc 1 "$cmd"
	[ ! -e "$mark" ] || { fail "'$cmd' ran a shell command"; rm -f "$mark"; }
done

# arguments reach the program as they are: hello prints its argc
args=('$(touch '"$mark"')' "; touch $mark" '`id`' '*')
bs 30 --batch -ex run "$HELLO" "${args[@]}"
expect_rc 0 "arguments"
has "$TMP/out" "argc=$((${#args[@]} + 1))" "arguments"
[ ! -e "$mark" ] || fail "the program's arguments went through a shell"

# no PATH search: a bare name is a file in the current directory
mkdir "$TMP/empty"
cd "$TMP/empty"
bs 20 --batch -ex run true
cd - >/dev/null
no_crash "bare name"
expect_rc 1 "bare name"
has "$TMP/err" "cannot open true" "bare name (no PATH search for 'true')"

[ ! -e "$mark" ] || fail "something ran \$SHELL"
finish
