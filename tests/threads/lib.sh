# Shared by the threads tests; sourced, not executed.
# Usage in a test: . "$(dirname "$0")/lib.sh" BOOTSCOPE RTDIR
#   RTDIR: the directory holding the bundled programs (workers, sleeper ...)
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

BOOTSCOPE=$(realpath "${1:?usage: $0 BOOTSCOPE RTDIR}")
RTDIR=$(realpath "${2:?usage: $0 BOOTSCOPE RTDIR}")
checks=0

# check_eq WHAT GOT WANT
check_eq() {
	checks=$((checks + 1))
	if [ "$2" = "$3" ]; then
		printf 'ok   %s\n' "$1"
	else
		fail "$1: got [$2], want [$3]"
	fi
}

finish() {
	[ "$checks" -gt 0 ] || [ "$failures" -gt 0 ] || { echo "no checks ran" >&2; exit 1; }
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed" >&2
		exit 1
	fi
	echo "all checks passed"
}

prog() { printf '%s/%s\n' "$RTDIR" "$1"; }

# Skip (77) when this machine refuses ptrace.
skip_without_ptrace() { ptrace_probe "$BOOTSCOPE" --batch -ex starti "$(prog hello)" || exit 1; }

# nm_addr PROGRAM SYMBOL: 0x-prefixed address from nm.
nm_addr() {
	local a
	a=$(nm "$1" | awk -v s="$2" '$3 == s { print $1; exit }')
	[ -n "$a" ] || { echo "nm: no symbol $2 in $1" >&2; return 1; }
	printf '0x%x\n' "0x$a"
}

# bs_json OUT ARGS...: bootscope --batch --json ARGS > OUT (stderr in OUT.err),
# for 240 s at most (a hang is a failure, status 124; a session takes a few
# seconds, a minute on a very loaded machine). continue runs every thread
# freely, as in gdb (set record-continue off: the bundled programs would
# single-step it, the others running only in its system calls).
bs_json() {
	local out=$1 rc=0
	shift
	# a script, so that it runs first (scripts run before -ex)
	echo 'set record-continue off' >"$TMP/free.cmd"
	local free=(-x "$TMP/free.cmd")
	case " $* " in *" --list-stages "*) free=() ;; esac
	env -u _ timeout -k 5 240 "$BOOTSCOPE" --batch --json "${free[@]}" "$@" \
		>"$out" 2>"$out.err" || rc=$?
	return $rc
}

# gdb_off PROGRAM STRUCT FIELD: the field's offset, as gdb reads it from DWARF.
gdb_off() {
	gdb -nx -batch -ex 'set language c' \
		-ex "printf \"%ld\\n\", (long)&((struct $2 *)0)->$3" "$1" 2>/dev/null | tail -n 1
}
