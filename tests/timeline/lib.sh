# Shared by the timeline's shell tests; sourced, not executed.
# Usage in a test: . "$(dirname "$0")/lib.sh" BOOTSCOPE HELLO
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

BOOTSCOPE=${1:?usage: $0 BOOTSCOPE HELLO}
HELLO=${2:?usage: $0 BOOTSCOPE HELLO}
BOOTSCOPE=$(realpath "$BOOTSCOPE")
HELLO=$(realpath "$HELLO")

# bootscope with a fixed, small environment (the step counts of a run
# depend on its environment), on one CPU; extra arguments as given.
PIN=()
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then
	PIN=(taskset -c 0)
fi
bs() {
	"${PIN[@]}" env -i PATH="$PATH" BOOTSCOPE_TEST=1 "$BOOTSCOPE" "$@"
}

# Skip (77) when this machine refuses ptrace.
skip_without_ptrace() { ptrace_probe bs --batch -ex starti "$HELLO" || exit 1; }

# python3 with tests/timeline on its path: `import bstl` reads and rewrites
# recordings (bstl.py).
TL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pybstl() { PYTHONPATH=$TL_DIR:$PYTHONPATH python3 "$@"; }

# record_hello N FILE: record the bundled hello's first N steps into FILE;
# a failure fails the test at once.
record_hello() {
	bs --batch --record "$2" -ex "stepi $1" "$HELLO" >/dev/null 2>"$TMP/rec.err" ||
		{ fail "recording failed: $(cat "$TMP/rec.err")"; finish; }
}
