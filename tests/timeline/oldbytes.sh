#!/usr/bin/env bash
# The bytes a recorded step's writes had before it come from the record's
# own copy of its last step where it holds every page of the write and only
# the stepped thread ran since. BOOTSCOPE_CHECK_OLD_BYTES=1 reads them from
# the program as well and counts the writes where the copy differed
# (info record: old_bytes_missed), which must stay 0:
#  - over the bundled hello's whole run, stepped and recorded (one thread);
#  - over 200,000 steps of the bundled workers with GOMAXPROCS=2 (several
#    threads; their system calls let the others run, and the steps around
#    them compare every page);
#  - over the hello again after a free run to main.main (a jump).
# Each run records thousands of writes, so the count is not vacuous.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
WORKERS=$(dirname "$HELLO")/workers

check() { # label min-writes program bootscope-args...
	local label=$1 min=$2 prog=$3
	shift 3
	"${PIN[@]}" env -i PATH="$PATH" BOOTSCOPE_TEST=1 GOMAXPROCS=2 BOOTSCOPE_CHECK_OLD_BYTES=1 \
		"$BOOTSCOPE" --batch --json "$@" -ex 'info record' "$prog" >"$TMP/r.jsonl" 2>"$TMP/r.err" ||
		{ fail "$label: bootscope: $(cat "$TMP/r.err")"; return; }
	python3 - "$TMP/r.jsonl" "$label" "$min" <<'PY' || fail "$label"
import sys
from events import load, named
rec = named(load(sys.argv[1]), "record")[-1]
label, least = sys.argv[2], int(sys.argv[3])
print(f"{label}: {rec['last']} steps, {rec['writes']} writes, old_bytes_missed {rec['old_bytes_missed']}")
assert rec["writes"] >= least, f"only {rec['writes']} writes recorded"
assert rec["old_bytes_missed"] == 0, f"{rec['old_bytes_missed']} writes whose old bytes the record had wrong"
PY
}

check "hello to its exit" 2000 "$HELLO" -ex 'stepi 1000000'
if [ -x "$WORKERS" ]; then
	check "workers, 200000 steps" 2000 "$WORKERS" -ex 'stepi 200000'
fi
check "hello after a jump to main.main" 100 "$HELLO" -ex 'set record-continue off' \
	-ex 'break main.main' -ex run -ex 'stepi 20000'
finish
