# Shared by the cli integration tests; sourced, not executed.
# Usage in a test: . "$(dirname "$0")/lib.sh" BOOTSCOPE HELLO
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

BOOTSCOPE=${1:?usage: $0 BOOTSCOPE HELLO}
HELLO=${2:?usage: $0 BOOTSCOPE HELLO}
BOOTSCOPE=$(realpath "$BOOTSCOPE")
HELLO=$(realpath "$HELLO")

# Skip (77) when this machine refuses ptrace.
skip_without_ptrace() { ptrace_probe "$BOOTSCOPE" --batch -ex starti "$HELLO" || exit 1; }

# The address of symbol $1 in $HELLO, from nm (0x-prefixed, lowercase).
nm_addr() {
	local a
	a=$(nm "$HELLO" | awk -v s="$1" '$3 == s { print $1; exit }')
	[ -n "$a" ] || { echo "nm: no symbol $1 in $HELLO" >&2; return 1; }
	printf '0x%x\n' "0x$a"
}

# Run bootscope in batch JSON mode with the given arguments; the JSON Lines
# go to $TMP/out.jsonl; returns bootscope's status.
bs_json() {
	local rc=0
	env -u _ "$BOOTSCOPE" --batch --json "$@" >"$TMP/out.jsonl" 2>"$TMP/err.txt" || rc=$?
	return $rc
}

# Check that every line of a file is a JSON object whose first key is
# "event" (prints the offending line otherwise).
check_jsonl() {
	python3 -m events jsonl "$1"
}

# gdb as the witness: run $HELLO under gdb with a clean, comparable
# environment (no LINES/COLUMNS, no shell) and the given -ex commands.
gdb_batch() {
	env -u _ gdb -nx -batch -ex 'set startup-with-shell off' \
		-ex 'unset environment LINES' -ex 'unset environment COLUMNS' \
		"$@" "$HELLO" 2>&1
}
