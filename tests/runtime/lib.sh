# lib.sh - assertions shared by the runtime tests (sourced, not run).
# Each failure prints what was expected and what was found; the test
# exits non-zero at the end if any check failed. Exit 77 = skipped.
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
# A command that fails is a failed check: the test goes on.
set +e +o pipefail

rt_failures=0
rt_checks=0

# check_eq WHAT GOT WANT
check_eq() {
	rt_checks=$((rt_checks + 1))
	if [ "$2" = "$3" ]; then
		printf 'ok   %s = %s\n' "$1" "$2"
	else
		printf 'FAIL %s: got [%s], want [%s]\n' "$1" "$2" "$3"
		rt_failures=$((rt_failures + 1))
	fi
}

# check_match WHAT GOT EXTENDED-REGEX
check_match() {
	rt_checks=$((rt_checks + 1))
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		printf 'ok   %s ~ /%s/\n' "$1" "$3"
	else
		printf 'FAIL %s: [%s] does not match /%s/\n' "$1" "$2" "$3"
		rt_failures=$((rt_failures + 1))
	fi
}

# check_true WHAT COMMAND...
check_true() {
	local what=$1
	shift
	rt_checks=$((rt_checks + 1))
	if "$@"; then
		printf 'ok   %s\n' "$what"
	else
		printf 'FAIL %s\n' "$what"
		rt_failures=$((rt_failures + 1))
	fi
}

# symaddr PROGRAM SYMBOL: the symbol's address as 0x..., from nm.
symaddr() {
	local a
	a=$(nm "$1" | awk -v s="$2" '$3 == s { print $1; exit }')
	[ -n "$a" ] && printf '%#x\n' "$((0x$a))"
}

need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || { echo "skip: $t not installed"; exit 77; }
	done
}

finish() {
	printf '%d checks, %d failed\n' "$rt_checks" "$rt_failures"
	[ "$rt_checks" -gt 0 ] || exit 1
	[ "$rt_failures" -eq 0 ]
}
