#!/usr/bin/env bash
# A breakpoint address inside an instruction (break *runtime.rt0_go+5) is
# refused with one line naming the address and the nearest instruction
# boundaries; -force sets it anyway, and the program it then breaks dies
# of a signal, which makes the batch run fail (exit 1). Boundaries and
# symbol-less addresses are accepted. gdb's disassembly is the witness for
# the boundaries.
# usage: midinsn.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

# the first instructions of runtime.rt0_go, by gdb: the last byte of the
# first one after the entry longer than a byte (runtime.rt0_go+5 here)
mapfile -t starts < <(gdb_batch "$HELLO" -ex "x/6i 'runtime.rt0_go'" |
	sed -n 's/^ *\(=> \)\{0,1\}\(0x[0-9a-f]*\) <.*/\2/p')
[ "${#starts[@]}" -eq 6 ] || fail "gdb's x/6i: ${starts[*]}"
inside="" prev="" next=""
for k in 1 2 3 4; do
	if [ $((starts[k + 1] - starts[k])) -ge 2 ]; then
		prev=${starts[k]} next=${starts[k + 1]}
		inside=$(printf '0x%x' $((next - 1)))
		break
	fi
done
[ -n "$inside" ] || fail "no instruction of two bytes or more in ${starts[*]}"
sym() { # the symbol+offset of an address, by nm
	python3 - "$HELLO" "$1" <<'PY'
import sys
from events import hexint, nm_symbols
off = hexint(sys.argv[2]) - nm_symbols(sys.argv[1])["runtime.rt0_go"]
print("runtime.rt0_go" if off == 0 else "runtime.rt0_go+0x%x" % off)
PY
}
want="cannot set a breakpoint at $inside: not an instruction boundary; the nearest are $prev <$(sym "$prev")> and $next <$(sym "$next")>; break -force *$inside sets it anyway"

# refused, before and after the program starts, one line
for pre in "" "starti"; do
	args=(--batch)
	[ -n "$pre" ] && args+=(-ex "$pre")
	bs 30 "${args[@]}" -ex "break *$inside"
	no_crash "refused ($pre)"
	expect_rc 1 "refused ($pre)"
	has "$TMP/err" "$want" "refused ($pre)"
	[ "$(lines "$TMP/err")" -eq 1 ] || fail "refused ($pre): not one line: $(cat "$TMP/err")"
done
# tbreak and until alike (until names its own -force)
bs 30 --batch -ex "tbreak *$inside"
expect_rc 1 "tbreak"
has "$TMP/err" "cannot set a breakpoint at $inside: not an instruction boundary" "tbreak"
bs 30 --batch -ex starti -ex "until *$inside"
expect_rc 1 "until"
has "$TMP/err" "cannot set a temporary breakpoint at $inside: not an instruction boundary" "until"
has "$TMP/err" "until -force *$inside sets it anyway" "until"

# line mode: the refused breakpoint is not set; the program runs to its end
printf 'break *%s\ninfo breakpoints\nrun\n' "$inside" |
	timeout -k 2 30 "$BOOTSCOPE" --json "$HELLO" >"$TMP/out" 2>"$TMP/err" || true
python3 - "$TMP/out" <<'PY' || fail "line mode: $(head -c 600 "$TMP/out")"
import sys
from events import load, named
ev = load(sys.argv[1])
bps = named(ev, "breakpoints")
assert bps and bps[0]["breakpoints"] == [], bps
ex = named(ev, "exited")
assert ex and ex[0]["code"] == 0, ev[-1]
PY

# boundaries are accepted
bs 30 --batch -ex "break *$prev" -ex "break *$next" -ex "break runtime.rt0_go" -ex run
no_crash "boundaries"
expect_rc 0 "boundaries"
has "$TMP/out" "Breakpoint 1 at $prev" "boundaries"
has "$TMP/out" "Breakpoint 2 at $next" "boundaries"

# forced: set; the changed instruction kills the program, and a batch run
# whose program was killed by a signal fails
bs 30 --batch --json -ex "break -force *$inside" -ex run -ex continue
no_crash "forced"
expect_rc 1 "forced"
python3 - "$TMP/out" "$inside" <<'PY' || fail "forced: $(head -c 800 "$TMP/out")"
import sys
from events import load, named
ev = load(sys.argv[1])
b = named(ev, "break")
assert b and b[0]["addr"] == sys.argv[2], b
assert named(ev, "signaled"), [e["event"] for e in ev]
PY
bs 30 --batch -ex "break -force *$inside" -ex run -ex continue
expect_rc 1 "forced, text"
has "$TMP/out" "Program terminated with signal" "forced, text"

# without symbols there is no function to decode: the address is accepted
cp "$HELLO" "$TMP/stripped"
strip "$TMP/stripped"
bs 30 --batch -ex "break *$inside" "$TMP/stripped"
expect_rc 0 "stripped"
has "$TMP/out" "Breakpoint 1 at $inside" "stripped"

finish
