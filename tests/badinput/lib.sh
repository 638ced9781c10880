# Shared by the badinput and faults tests; sourced, not executed.
# Usage in a test: . "$(dirname "$0")/lib.sh" BOOTSCOPE HELLO
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

BOOTSCOPE=$(realpath -e "${1:?usage: $0 BOOTSCOPE HELLO ...}")
HELLO=$(realpath -e "${2:?usage: $0 BOOTSCOPE HELLO ...}")
LIBDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Skip (77) when this machine refuses ptrace.
skip_without_ptrace() { ptrace_probe "$BOOTSCOPE" --batch -ex starti "$HELLO" || exit 1; }

# hello_plain_dwarf DEST: a copy of $HELLO whose .debug_info is not
# compressed, so that edits hit the DWARF and not the zlib stream; skips
# (77) when readelf or objcopy cannot give one.
hello_plain_dwarf() {
	command -v readelf >/dev/null || { echo "skip: no readelf"; exit 77; }
	cp "$HELLO" "$1"
	if readelf -SW "$1" | grep -E '\.debug_info' | grep -qE ' [A-Z]*C[A-Z]* '; then
		objcopy --decompress-debug-sections "$1" || { echo "skip: cannot decompress"; exit 77; }
	fi
}

# bs SECONDS ARGS...: run bootscope with a time limit; stdout in $TMP/out,
# stderr in $TMP/err, the status in $RC (124: it hung and was killed).
bs() {
	local secs=$1
	shift
	RC=0
	timeout -k 2 "$secs" "$BOOTSCOPE" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null || RC=$?
}

# bs_tui SECONDS ARGS...: the same on a pseudo-terminal (the TUI path);
# everything it wrote is in $TMP/tty.
bs_tui() {
	local secs=$1
	shift
	RC=0
	python3 "$LIBDIR/pty_run.py" "$secs" "$BOOTSCOPE" "$@" >"$TMP/tty" 2>&1 || RC=$?
}

# The status was not a crash (signal) or a hang.
no_crash() {
	if [ "$RC" -eq 124 ]; then
		fail "$1: hung (killed after the time limit)"
	elif [ "$RC" -ge 128 ]; then
		fail "$1: died of signal $((RC - 128))"
	fi
}

expect_rc() {
	[ "$RC" -eq "$1" ] || fail "$2: exit status $RC, want $1 (stderr: $(head -c 300 "$TMP/err" 2>/dev/null))"
}

# lines FILE: the number of lines in FILE (a last line without newline counts).
lines() {
	awk 'END { print NR }' "$1"
}

# has FILE TEXT WHAT: FILE contains TEXT (fixed string).
has() {
	grep -qF -- "$2" "$1" || fail "$3: no '$2' in: $(head -c 600 "$1")"
}

# hasnt FILE TEXT WHAT
hasnt() {
	if grep -qF -- "$2" "$1"; then
		fail "$3: unexpected '$2' in: $(head -c 600 "$1")"
	fi
}

# json_get FILE EVENT KEY: KEY of the first EVENT object in a JSON Lines
# file (Python's repr of strings is avoided: printed raw).
json_get() {
	python3 - "$@" <<'PY'
import json, sys
path, event, key = sys.argv[1:4]
for line in open(path, encoding="utf-8"):
    o = json.loads(line)
    if o.get("event") == event:
        v = o.get(key)
        print("null" if v is None else v)
        sys.exit(0)
sys.exit(1)
PY
}

# Every line of FILE is a JSON object whose first key is "event".
check_jsonl() {
	python3 -m events jsonl "$1" || fail "$2: output is not JSON Lines"
}

# gdb as a witness, with our settings (no shell, no auto-loaded helpers).
gdb_batch() {
	local prog=$1
	shift
	env -u _ timeout 60 gdb -nx -batch -iex 'set auto-load off' \
		-ex 'set startup-with-shell off' "$@" "$prog" 2>&1
}

# Processes whose executable is FILE (a test's private copy of a program).
pids_of() {
	local p exe out=""
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		[ "$exe" = "$1" ] && out="$out ${p#/proc/}"
	done
	echo "$out"
}
