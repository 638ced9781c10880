# The part every shell test library shares; sourced by tests/*/lib.sh.
# Gives: strict mode, $TMP (removed on exit), fail/finish, and ptrace_probe.
set -euo pipefail

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed" >&2
		exit 1
	fi
	echo "all checks passed"
}

# ptrace_probe CMD...: run a command that starts a traced program; exit 77
# (skip) when this machine refuses ptrace, 1 when it fails for another reason.
ptrace_probe() {
	local out
	if ! out=$("$@" 2>&1); then
		case $out in
		*"not permitted"*|*"ermission denied"*|*"ptrace refused"*)
			echo "skip: ptrace refused: $out" >&2
			exit 77 ;;
		esac
		echo "cannot start the target: $out" >&2
		exit 1
	fi
}

# valgrind_usable BINARY: true when valgrind is installed and BINARY is not
# built with AddressSanitizer (which takes valgrind's place there); else
# false, with the reason in $NO_VALGRIND.
valgrind_usable() {
	NO_VALGRIND=""
	if ! command -v valgrind >/dev/null; then
		NO_VALGRIND="valgrind is not installed"
	elif nm -D "$1" 2>/dev/null | grep '__asan_init' >/dev/null; then
		NO_VALGRIND="bootscope is built with AddressSanitizer, which replaces valgrind here"
	fi
	[ -z "$NO_VALGRIND" ]
}

# need_valgrind BINARY: skip (77) unless valgrind_usable.
need_valgrind() {
	valgrind_usable "$1" || { echo "skip: $NO_VALGRIND"; exit 77; }
}
