# The part every shell test shares; sourced by tests/*/lib.sh and the
# tests without a lib.sh.
# Gives: strict mode, $TMP (removed on exit), fail/finish, tests/ on
# PYTHONPATH (`from events import ...`: tests/events.py), and the skips
# when ptrace is refused (ptrace_probe, skip_if_ptrace_refused,
# gdb_ptrace_probe).
set -euo pipefail

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PYTHONPATH=$TESTS_DIR${PYTHONPATH:+:$PYTHONPATH}
export PYTHONDONTWRITEBYTECODE=1

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

# skip_if_ptrace_refused TEXT: exit 77 (skip) when TEXT, what a tracer
# that failed said, says this machine refuses ptrace.
skip_if_ptrace_refused() {
	case $1 in
	*"not permitted"*|*"ermission denied"*|*"ptrace refused"*)
		echo "skip: ptrace refused: $1" >&2
		exit 77 ;;
	esac
}

# ptrace_probe CMD...: run a command that starts a traced program; exit 77
# (skip) when this machine refuses ptrace; status 1, after printing what it
# said, when it fails for another reason.
ptrace_probe() {
	local out
	if ! out=$("$@" 2>&1); then
		skip_if_ptrace_refused "$out"
		echo "cannot start the target: $out" >&2
		return 1
	fi
}

# gdb_ptrace_probe CMD...: run a gdb command that starts a program (gdb as
# a witness); exit 77 (skip) when gdb says it cannot trace here.
gdb_ptrace_probe() {
	local out
	out=$("$@" 2>&1) || true
	if grep -qiE 'ptrace: Operation not permitted|could not trace|Cannot (exec|create process)' <<<"$out"; then
		echo "skip: gdb cannot trace here: $out" >&2
		exit 77
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
