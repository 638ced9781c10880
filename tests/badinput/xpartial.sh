#!/usr/bin/env bash
# x across the end of a mapping shows the readable units first, then the
# error naming the first unreadable address (as gdb does). The mapping is
# the initial stack, whose last bytes are the program's path (AT_EXECFN)
# and a null word, the same in gdb's run of the same path: gdb is the
# witness for the end of the mapping and for the values.
# usage: xpartial.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

# a long path fills the last 40 bytes of the stack with known bytes
dir="$TMP/a-directory-whose-long-name-fills-the-top-of-the-stack"
mkdir -p "$dir"
prog="$dir/hello"
cp "$HELLO" "$prog"

witness=$(gdb_batch "$prog" -ex starti -ex 'info proc mappings')
stack_end=$(printf '%s\n' "$witness" | awk '/\[stack\]/ { print $2; exit }')
[ -n "$stack_end" ] || fail "gdb did not show the [stack] mapping: $witness"
start=$(printf '0x%x' $((stack_end - 40)))
# gdb's x/5gx: five words, the last one the null word
gdb_words=$(gdb_batch "$prog" -ex starti -ex "x/5gx $start" |
	grep '^0x[0-9a-f]*:' | cut -d: -f2 | tr -s ' \t' '\n' | grep . | tr '\n' ' ')
[ "$(echo $gdb_words | wc -w)" -eq 5 ] || fail "gdb's x/5gx: '$gdb_words'"

# words: the values on the x lines of a text output
words() {
	grep '^0x[0-9a-f]*:' "$1" | cut -d: -f2 | tr -s ' \t' '\n' | grep . | tr '\n' ' ' || true
}

bs 30 --batch -ex starti -ex "x/20gx $start" -ex 'echo after\n' "$prog"
no_crash "x/20gx"
expect_rc 1 "x/20gx"
[ "$(words "$TMP/out")" = "$gdb_words" ] ||
	fail "x/20gx: words '$(words "$TMP/out")', gdb's x/5gx '$gdb_words'"
has "$TMP/err" "-ex 2: cannot read memory at $stack_end" "x/20gx"
# an error in one -ex does not stop the next one, as in gdb
has "$TMP/out" "after" "x/20gx: the next -ex"

# the same in JSON: an x event with the five words, then the error
bs 30 --batch --json -ex starti -ex "x/20gx $start" "$prog"
expect_rc 1 "x/20gx json"
check_jsonl "$TMP/out" "x/20gx json"
python3 - "$TMP/out" "$start" "$stack_end" $gdb_words <<'PY' || fail "x/20gx json: $(head -c 800 "$TMP/out")"
import sys
from events import hexint, load
path, start, end, *want = sys.argv[1:]
ev = load(path)
names = [e["event"] for e in ev]
i = names.index("x")
assert names[i + 1] == "error", names
items = ev[i]["items"]
assert [int(it["value"]) for it in items] == [hexint(w) for w in want], (items, want)
assert [hexint(it["addr"]) for it in items] == [hexint(start) + 8 * k for k in range(5)], items
assert ev[i + 1]["message"].startswith("cannot read memory at " + end + ":"), ev[i + 1]
PY

# 4-byte units: ten of them
bs 30 --batch -ex starti -ex "x/20wx $start" "$prog"
expect_rc 1 "x/20wx"
[ "$(words "$TMP/out" | wc -w)" -eq 10 ] || fail "x/20wx: $(cat "$TMP/out")"
has "$TMP/err" "cannot read memory at $stack_end" "x/20wx"

# nothing readable: the error alone, as before
bs 30 --batch --json -ex starti -ex "x/4gx $stack_end" "$prog"
expect_rc 1 "x at the end"
python3 - "$TMP/out" <<'PY' || fail "x at the end: $(cat "$TMP/out")"
import sys
from events import load
names = [e["event"] for e in load(sys.argv[1])]
assert "x" not in names and "error" in names, names
PY

finish
