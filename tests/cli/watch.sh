#!/usr/bin/env bash
# watch, rwatch and awatch against gdb: a watchpoint on runtime.m0.p (its
# address from nm plus the field's offset from DWARF, as gdb computes it)
# stops at the pc where gdb's watchpoint stops, with the same old and new
# values, and a second continue ends where gdb's does. Where this machine's
# debug registers do not fire (some virtual machines; bootscope's "watch"
# event says hardware false) both debuggers watch by single-stepping (gdb:
# set can-use-hw-watchpoints 0), read watchpoints are refused with a clear
# error, and the hardware-only checks (rwatch, awatch, the fifth watch)
# are skipped with a note.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: no gdb" >&2; exit 77; }

m0=$(nm_addr runtime.m0)
off=$(gdb -nx -batch -ex 'set language c' -ex 'p/d &((struct m*)0)->p' "$HELLO" 2>&1 |
	sed -n 's/^\$1 = //p')
[ -n "$off" ] || { echo "FAIL: gdb gives no offset of m.p" >&2; exit 1; }
addr=$(printf '0x%x' $((m0 + off)))

# bootscope: hardware watchpoints here?
bs_json -ex "watch *$addr" "$HELLO" || true
hw=$(python3 -c 'import sys
from events import load, last
print("1" if last(load(sys.argv[1]), "watch")["hardware"] else "0")' "$TMP/out.jsonl")
hwset=()
[ "$hw" = 1 ] || hwset=(-ex 'set can-use-hw-watchpoints 0')

# gdb: the stop of each of two continues: "pc old new", or "exited"
gdb_batch "${hwset[@]}" -ex starti -ex "watch *(long*)$addr" \
	-ex c -ex 'printf "STOP %#lx\n", $pc' -ex c -ex 'printf "STOP %#lx\n", $pc' \
	>"$TMP/gdb.txt" || true
gdb_stops() {
	awk '/^Old value = /{o=$4} /^New value = /{n=$4}
	     /^STOP /{print $2, o, n; o=""; n=""}
	     /exited normally|exited with code/{print "exited"; exit}' "$TMP/gdb.txt"
}
want=$(gdb_stops)
[ -n "$want" ] || { cat "$TMP/gdb.txt" >&2; echo "FAIL: gdb's watchpoint never stopped" >&2; exit 1; }

bs_stops() { # the stop or exit of each continue: "pc old new"
	python3 - "$TMP/out.jsonl" <<'PY'
import sys
from events import hexint, load
for e in load(sys.argv[1]):
    if e["event"] == "stop" and e["reason"] == "watchpoint":
        print(f"{hexint(e['pc']):#x}", e["old"], e["new"])
    elif e["event"] == "exited":
        print("exited")
PY
}

bs_json -ex "watch *$addr" -ex c -ex c "$HELLO" || true
got=$(bs_stops)
[ "$got" = "$want" ] || fail "watch *$addr: bootscope '$got', gdb '$want'"

# the same through the field's name, and as -location
for expr in "runtime.m0.p" "-l runtime.m0.p" "-location *$addr"; do
	bs_json -ex "watch $expr" -ex c -ex c "$HELLO" || true
	got=$(bs_stops)
	[ "$got" = "$want" ] || fail "watch $expr: bootscope '$got', gdb '$want'"
done

# the accessing instruction is the one that ends at the stop pc
bs_json -ex "watch *$addr" -ex c "$HELLO" || true
apc=$(python3 -c 'import sys
from events import hexint, last, load
print("%#x" % hexint(last(load(sys.argv[1]), "stop")["access_pc"]))' "$TMP/out.jsonl")
spc=$(echo "$want" | head -1 | cut -d' ' -f1)
gdb_batch -ex "x/2i $apc" >"$TMP/x.txt" || true
next=$(awk 'NR==2{print $1}' "$TMP/x.txt" | tr -d ':')
[ "$(printf '%#x' "$next")" = "$spc" ] ||
	fail "the instruction at $apc is not followed by $spc: $(cat "$TMP/x.txt")"

# set before run: the watchpoint is armed again when run restarts
bs_json -ex "watch *$addr" -ex run -ex c "$HELLO" || true
got=$(bs_stops)
[ "$got" = "$want" ] || fail "watch before run: bootscope '$got', gdb '$want'"

# stepi stops on the step that writes it, at the same pc
first=$(echo "$want" | head -1)
bs_json -ex "watch *$addr" -ex 'stepi 100000' "$HELLO" || true
got=$(bs_stops | head -1)
[ "$got" = "$first" ] || fail "stepi with a watchpoint: bootscope '$got', gdb '$first'"

# info breakpoints lists it with its hits, delete removes it
bs_json -ex "watch *$addr" -ex c -ex 'info breakpoints' -ex 'delete 1' -ex 'info breakpoints' \
	-ex c "$HELLO" || true
python3 - "$TMP/out.jsonl" "$hw" <<'PY' || fail "info breakpoints / delete of a watchpoint"
import sys
from events import load
ev = load(sys.argv[1])
lists = [e["breakpoints"] for e in ev if e["event"] == "breakpoints"]
w = lists[0][0]
assert w["type"] == ("hw watchpoint" if sys.argv[2] == "1" else "watchpoint"), w
assert w["hits"] == 1 and w["len"] == 8, w
assert lists[1] == [], lists[1]
assert ev[-1]["event"] == "exited", ev[-1]
PY

# bad watchpoints: one clear error each, non-zero exit
check_error() { # expected message part, then -ex commands
	local want=$1 rc=0
	shift
	"$BOOTSCOPE" --batch "$@" "$HELLO" >"$TMP/o.txt" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || fail "$*: exit status 0"
	grep -q -- "$want" "$TMP/o.txt" || fail "$*: no '$want' in: $(cat "$TMP/o.txt")"
}
check_error "cannot watch 8 bytes at $(printf '0x%x' $((m0 + off + 1)))" \
	-ex "watch *$(printf '0x%x' $((m0 + off + 1)))"
check_error "cannot watch [0-9]* bytes at $(printf '0x%x' $((m0 + $(gdb -nx -batch \
	-ex 'set language c' -ex 'p/d &((struct m*)0)->tls' "$HELLO" | sed -n 's/^\$1 = //p'))))" \
	-ex 'watch runtime.m0.tls'
check_error "cannot watch '5': it is not in memory" -ex 'watch 5'
check_error "watch needs an argument" -ex 'watch'

if [ "$hw" = 1 ]; then
	check_error "no free debug register: 4 watchpoints in use" \
		-ex "watch *$addr" -ex "watch *$((m0 + 8))" -ex "watch *$((m0 + 16))" \
		-ex "watch *$((m0 + 24))" -ex "watch *$((m0 + 32))"
	# rwatch/awatch: the first stop, as gdb's
	for cmd in rwatch awatch; do
		gdb_batch -ex starti -ex "$cmd *(long*)$addr" -ex c -ex 'printf "STOP %#lx\n", $pc' \
			>"$TMP/gdb.txt" || true
		gpc=$(awk '/^STOP /{print $2; exit}' "$TMP/gdb.txt")
		bs_json -ex "$cmd *$addr" -ex c "$HELLO" || true
		bpc=$(python3 -c 'import sys
from events import hexint, last, load
print("%#x" % hexint(last(load(sys.argv[1]), "stop")["pc"]))' "$TMP/out.jsonl")
		[ "$bpc" = "$gpc" ] || fail "$cmd: bootscope stops at $bpc, gdb at $gpc"
	done
else
	echo "note: this machine's debug registers do not fire; rwatch, awatch and the fifth watch are checked as refused" >&2
	check_error "read and access watchpoints need the CPU's debug registers" -ex "rwatch *$addr"
	check_error "read and access watchpoints need the CPU's debug registers" -ex "awatch *$addr"
fi
# forced on (gdb's can-use-hw-watchpoints 1): four debug registers, whether
# or not they fire here
check_error "no free debug register: 4 watchpoints in use" -ex 'set can-use-hw-watchpoints 1' \
	-ex "watch *$addr" -ex "rwatch *$((m0 + 8))" -ex "awatch *$((m0 + 16))" \
	-ex "watch *$((m0 + 24))" -ex "watch *$((m0 + 32))"
check_error "read and access watchpoints need the CPU's debug registers, turned off" \
	-ex 'set can-use-hw-watchpoints 0' -ex "rwatch *$addr"

finish
