#!/usr/bin/env bash
# disassemble against gdb and objdump: the instructions of whole functions
# (addresses and lengths, and mnemonics once the AT&T size suffix capstone
# writes is set aside) as gdb's disassemble lists them, a range's as gdb's,
# /r's bytes as objdump's, => at the pc gdb marks after the same steps,
# and one clear error for each bad form.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: no gdb" >&2; exit 77; }

# "ADDR LEN MNEMONIC" lines of bootscope's last disassemble event
bs_insns() {
	python3 - "$TMP/out.jsonl" <<'PY'
import sys
from events import hexint, last, load
d = last(load(sys.argv[1]), "disassemble")
for i in d["insns"]:
    print("%#x %d %s" % (hexint(i["addr"]), i["size"], i["text"].split()[0]))
PY
}
# the same from gdb's dump: lengths from the next address, the last one
# up to END
gdb_insns() { # END, then gdb -ex arguments
	local end=$1
	shift
	gdb_batch "$@" | python3 -c '
import re, sys
rows = [re.match(r"^(?:=>)?\s*(0x[0-9a-f]+) <[^>]*>:\t\s*(\S+)", l)
        for l in sys.stdin]
rows = [(int(m.group(1), 16), m.group(2)) for m in rows if m]
ends = [a for a, _ in rows[1:]] + [int(sys.argv[1], 16)]
for (a, mn), e in zip(rows, ends):
    print("%#x %d %s" % (a, e - a, mn))' "$end"
}
# compare addresses and lengths exactly; mnemonics up to capstone's size
# suffix (pushq/push, callq/call, movl/mov, cmovgl/cmovg)
compare() { # what, bootscope's list, gdb's list
	python3 - "$1" "$2" "$3" <<'PY' || fail "$1 differs from gdb's"
import sys
what, ours, theirs = sys.argv[1], sys.argv[2].splitlines(), sys.argv[3].splitlines()
assert ours, what + ": bootscope listed nothing"
assert len(ours) == len(theirs), "%s: %d instructions, gdb %d" % (what, len(ours), len(theirs))
for o, t in zip(ours, theirs):
    oa, ol, om = o.split()
    ta, tl, tm = t.split()
    assert (oa, ol) == (ta, tl), "%s: %s, gdb %s" % (what, o, t)
    assert om == tm or (om[:-1] == tm and om[-1] in "bwlq"), "%s: %s, gdb %s" % (what, o, t)
PY
}

for fn in runtime.schedinit runtime.rt0_go runtime.mstart1 runtime.schedule; do
	start=$(nm_addr "$fn")
	size=$((0x$(nm -S "$HELLO" | awk -v s="$fn" '$4 == s { print $2 }')))
	end=$(printf '%#x' $((start + size)))
	bs_json -ex "disassemble $fn" "$HELLO" || fail "disassemble $fn: $(cat "$TMP/err.txt")"
	compare "disassemble $fn" "$(bs_insns)" "$(gdb_insns "$end" -ex "disassemble $start")"
	# /r: each instruction's bytes as objdump decodes them
	bs_json -ex "disassemble /r $fn" "$HELLO" || fail "disassemble /r $fn"
	python3 - "$TMP/out.jsonl" <(objdump -d --insn-width=16 --start-address="$start" \
		--stop-address="$end" "$HELLO") <<'PY' || fail "disassemble /r $fn: bytes differ from objdump's"
import re, sys
from events import hexint, last, load
ours = {hexint(i["addr"]): i["bytes"] for i in last(load(sys.argv[1]), "disassemble")["insns"]}
theirs = {}
for line in open(sys.argv[2]):
    m = re.match(r"^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)", line)
    if m:
        theirs[int(m.group(1), 16)] = m.group(2).strip()
assert ours and ours == theirs, (len(ours), len(theirs),
    [(hex(a), ours.get(a), theirs.get(a)) for a in sorted(set(ours) | set(theirs))
     if ours.get(a) != theirs.get(a)][:3])
PY
done

# a range, START,END and START,+LEN
start=$(nm_addr runtime.rt0_go)
end=$(printf '%#x' $((start + 40)))
bs_json -ex "disassemble $start,$end" "$HELLO" || fail "disassemble START,END"
theirs=$(gdb_insns 0 -ex "disassemble $start,$end" | sed '$d')
compare "disassemble $start,$end" "$(bs_insns | sed '$d')" "$theirs"
bs_json -ex "disassemble $start,+40" "$HELLO" || fail "disassemble START,+LEN"
compare "disassemble $start,+40" "$(bs_insns | sed '$d')" "$theirs"

# => at pc: after a breakpoint and three steps, where gdb puts it
sched=$(nm_addr runtime.schedinit)
bs_json -ex "break *$sched" -ex run -ex 'stepi 3' -ex disassemble "$HELLO" || fail "disassemble at pc"
ours=$(python3 -c 'import sys
from events import hexint, last, load
ev = load(sys.argv[1])
d, s = last(ev, "disassemble"), last(ev, "stop")
cur = [i for i in d["insns"] if i["current"]]
assert len(cur) == 1 and cur[0]["addr"] == s["pc"] == d["pc"], (cur, s["pc"])
print("%#x" % hexint(s["pc"]))' "$TMP/out.jsonl") || fail "disassemble: no single current instruction at pc"
theirs=$(gdb_batch -ex "break *$sched" -ex run -ex 'stepi 3' -ex disassemble |
	awk '/^=> /{print $2}' | xargs printf '%#x')
[ "$ours" = "$theirs" ] || fail "=> at $ours, gdb at $theirs"

# bad forms: one error line each, non-zero exit
check_error() { # expected message part, then the command
	local rc=0
	"$BOOTSCOPE" --batch -ex "$2" "$HELLO" >"$TMP/o.txt" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || fail "$2: exit status 0"
	grep -q -- "$1" "$TMP/o.txt" || fail "$2: no '$1' in: $(cat "$TMP/o.txt")"
}
check_error "invalid disassemble modifier '/q'" "disassemble /q runtime.schedinit"
check_error "disassemble /s: no line information" "disassemble /s runtime.schedinit"
check_error "is not after the start" "disassemble $end,$start"
check_error "no function contains 0x10;" "disassemble 0x10"
check_error "the range needs an end" "disassemble $start,"

finish
