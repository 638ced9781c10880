#!/usr/bin/env bash
# Targets that write more than the output pipe holds (1 MiB) are not
# blocked: bootscope reads their output while they run, and every byte
# arrives, in order, on its stream. Before, the target blocked in
# pipe_write and bootscope in waitpid, forever.
#   - `run` of seq 1 1000000 (6.9 MB on stdout)
#   - `run` of a shell whose children (not traced) write 2.7 MB to stdout
#     and 3.4 MB to stderr
#   - `stepi` over one write() of 2.7 MB, then `continue` over another
# usage: chatty.sh BOOTSCOPE HELLO BIGWRITE
. "$(dirname "$0")/../badinput/lib.sh"
skip_without_ptrace
BIGWRITE=$(realpath -e "$3")
SEQ=$(command -v seq)
SH=$(command -v sh)

# streams_are WHAT OUT ERR: the "output" events of $TMP/out (JSON Lines)
# carry exactly the bytes of files OUT and ERR on stdout and stderr.
streams_are() {
	python3 - "$TMP/out" "$2" "$3" <<'PY' || fail "$1: the output did not arrive whole"
import sys
from events import load, named
got = {"stdout": [], "stderr": []}
for o in named(load(sys.argv[1]), "output"):
    got[o["stream"]].append(o["data"])
ok = True
for stream, path in (("stdout", sys.argv[2]), ("stderr", sys.argv[3])):
    want = open(path, encoding="utf-8").read()
    data = "".join(got[stream])
    if data != want:
        ok = False
        print(f"{stream}: {len(data)} bytes, want {len(want)}", file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

: >"$TMP/empty"
"$SEQ" 1 1000000 >"$TMP/seq1m"
"$SEQ" 1 400000 >"$TMP/seq400k"
"$SEQ" 1 500000 >"$TMP/seq500k"

bs 60 --batch --json -ex run "$SEQ" 1 1000000
expect_rc 0 "seq 1 1000000"
json_get "$TMP/out" exited code >/dev/null || fail "seq 1 1000000: no exited event"
streams_are "seq 1 1000000" "$TMP/seq1m" "$TMP/empty"

bs 60 --batch --json -ex run "$SH" -c "$SEQ 1 400000; $SEQ 1 500000 >&2"
expect_rc 0 "sh -c 'seq; seq >&2'"
streams_are "sh -c 'seq; seq >&2'" "$TMP/seq400k" "$TMP/seq500k"

# Stepping into write(): the step over its syscall instruction lasts as
# long as the write.
bs 60 --batch --json -ex 'break write' -ex run -ex 'stepi 100' -ex continue "$BIGWRITE"
expect_rc 0 "stepi over write"
[ "$(json_get "$TMP/out" stop reason)" = breakpoint ] || fail "stepi over write: no stop at write"
json_get "$TMP/out" exited code >/dev/null || fail "stepi over write: no exited event"
streams_are "stepi over write" "$TMP/seq400k" "$TMP/seq400k"

finish
