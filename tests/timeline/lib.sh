# Shared by the timeline's shell tests; sourced, not executed.
# Usage in a test: . "$(dirname "$0")/lib.sh" BOOTSCOPE HELLO
set -euo pipefail

BOOTSCOPE=${1:?usage: $0 BOOTSCOPE HELLO}
HELLO=${2:?usage: $0 BOOTSCOPE HELLO}
BOOTSCOPE=$(realpath "$BOOTSCOPE")
HELLO=$(realpath "$HELLO")
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

# bootscope with a fixed, small environment (the step counts of a run
# depend on its environment), on one CPU (cpuid's APIC id lands in rbx);
# extra arguments as given.
PIN=()
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then
	PIN=(taskset -c 0)
fi
bs() {
	"${PIN[@]}" env -i PATH="$PATH" BOOTSCOPE_TEST=1 "$BOOTSCOPE" "$@"
}

# Skip (77) when this machine refuses ptrace.
skip_without_ptrace() {
	local out
	if ! out=$(bs --batch -ex starti "$HELLO" 2>&1); then
		case $out in
		*"not permitted"*|*"Operation not permitted"*|*"permission denied"*)
			echo "skip: ptrace refused: $out" >&2
			exit 77 ;;
		esac
		echo "bootscope cannot start $HELLO: $out" >&2
		exit 1
	fi
}
