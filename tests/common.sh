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

# need_valgrind BINARY: skip (77) without valgrind, or when BINARY is built
# with AddressSanitizer (which takes valgrind's place there).
need_valgrind() {
	command -v valgrind >/dev/null || { echo "skip: valgrind is not installed"; exit 77; }
	if nm -D "$1" 2>/dev/null | grep '__asan_init' >/dev/null; then
		echo "skip: bootscope is built with AddressSanitizer, which replaces valgrind here"
		exit 77
	fi
}
