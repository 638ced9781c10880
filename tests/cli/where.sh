#!/usr/bin/env bash
# What an address is, on the bundled hello: `info proc mappings` at
# runtime.mstart lists exactly the lines of /proc/PID/maps read while the
# program is stopped there (bootscope in line mode, commands on its stdin),
# named: text, rodata, bss, [stack] as the OS stack holding m0's g0 stack,
# the runtime heap holding goroutine 1's stack, vdso; the ranges' bounds are
# the g's stack.lo/hi read from /proc/PID/mem. `info symbol` equals gdb's
# (function + offset, data + offset, no symbol), and so does `info proc`;
# bad input is one error line.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

nm "$HELLO" >"$TMP/nm.txt"

python3 - "$BOOTSCOPE" "$HELLO" "$TMP/nm.txt" <<'PY' || fail "info proc mappings"
import sys
from events import Checks, Live, hexint, last, named, proc_maps
bootscope, hello, nmfile = sys.argv[1:4]
syms = {}
for line in open(nmfile):
    p = line.split()
    if len(p) == 3:
        syms.setdefault(p[2], int(p[0], 16))
check = Checks()


def words(pid, a, n):
    with open("/proc/%d/mem" % pid, "rb") as f:
        f.seek(a)
        b = f.read(8 * n)
    return [int.from_bytes(b[i:i + 8], "little") for i in range(0, len(b), 8)]


b = Live([bootscope, "--json", hello])
try:
    b.cmd("tbreak runtime.mstart")
    stop = last(b.cmd("run"), "stop")
    ev = last(b.cmd("info proc mappings"), "mappings")
    pid = ev["pid"]
    maps = proc_maps(pid)
    # runtime.g0's stack and goroutine 1's (allgs[0]): struct g starts
    # with its stack [lo, hi)
    g0 = syms["runtime.g0"]
    g0_lo, g0_hi = words(pid, g0, 2)
    arr, n = words(pid, syms["runtime.allgs"], 2)
    g1 = words(pid, arr, 1)[0] if n else 0
    g1_lo, g1_hi = words(pid, g1, 2) if g1 else (0, 0)
    xs = last(b.cmd("xinfo $rsp"), "xinfo")
finally:
    b.close()

check(stop and hexint(stop["pc"]) == syms["runtime.mstart"], f"stop {stop}")
got = [(hexint(m["start"]), hexint(m["end"]), m["perms"], hexint(m["offset"]), m["objfile"])
       for m in ev["mappings"]]
check(got == maps, f"mappings {got} != /proc/{pid}/maps {maps}")


def holding(a):
    return [m for m in ev["mappings"] if hexint(m["start"]) <= a < hexint(m["end"])]


for sym, kind in (("runtime.schedinit", "text"), ("runtime.m0", "bss")):
    m = holding(syms[sym])
    check(m and kind in m[0]["what"].split("/"), f"{sym}'s mapping: {m and m[0]['what']}")
by = {m["objfile"]: m for m in ev["mappings"]}
check(by["[vdso]"]["what"] == "vdso", f"[vdso]: {by['[vdso]']['what']}")
st = by["[stack]"]
check(st["what"] == "OS stack, g0 stack of m0", f"[stack]: {st['what']}")
check([(hexint(r["start"]), hexint(r["end"]), r["what"], r["m_id"]) for r in st["ranges"]] ==
      [(g0_lo, g0_hi, "g0 stack of m0", 0)], f"[stack] ranges {st['ranges']}")
check(n >= 1 and g1, f"allgs: {n} entries")
heap = holding(g1_lo)
r1 = [r for r in (heap[0]["ranges"] if heap else []) if r["goid"] == 1]
check(heap and heap[0]["what"] == "runtime heap", f"g1's stack mapping {heap}")
check([(hexint(r["start"]), hexint(r["end"]), hexint(r["g"]), r["what"]) for r in r1] ==
      [(g1_lo, g1_hi, g1, "stack of goroutine 1")], f"goroutine 1's range {r1}")
check(xs["what"] == "g0 stack of m0" and xs["stack"]["m_id"] == 0, f"xinfo $rsp {xs}")
sys.exit(check.report())
PY

# info symbol: the text gdb prints, for a function + offset, a data symbol
# + offset and an address no symbol holds (gdb with the linker's names:
# set print demangle off, as gdb would show runtime[schedinit]).
sched=$(nm_addr runtime.schedinit)
m0=$(nm_addr runtime.m0)
addrs="$(printf '0x%x' $((sched + 12))) $(printf '0x%x' $((m0 + 8))) $m0 0x10"
args=()
for a in $addrs; do args+=(-ex "info symbol $a"); done
env -u _ "$BOOTSCOPE" --batch "${args[@]}" "$HELLO" >"$TMP/bs.txt" 2>"$TMP/err.txt" ||
	fail "info symbol: $(cat "$TMP/err.txt")"
gdb -nx -batch -ex "set print demangle off" "${args[@]}" "$HELLO" >"$TMP/gdb.txt" 2>/dev/null
diff -u "$TMP/gdb.txt" "$TMP/bs.txt" >"$TMP/diff.txt" || fail "info symbol differs from gdb's: $(cat "$TMP/diff.txt")"
[ "$(wc -l <"$TMP/bs.txt")" -eq 4 ] || fail "info symbol: $(cat "$TMP/bs.txt")"

# info proc: gdb's lines but the process id (each run has its own).
env -u _ "$BOOTSCOPE" --batch -ex starti -ex 'info proc' "$HELLO" 2>"$TMP/err.txt" |
	grep -v '^process ' | tail -3 >"$TMP/bs.txt"
gdb -nx -batch -ex 'set startup-with-shell off' -ex starti -ex 'info proc' "$HELLO" 2>/dev/null |
	grep -v '^process ' | tail -3 >"$TMP/gdb.txt"
grep -q "^exe = '$HELLO'$" "$TMP/gdb.txt" || fail "gdb's info proc: $(cat "$TMP/gdb.txt")"
diff -u "$TMP/gdb.txt" "$TMP/bs.txt" >"$TMP/diff.txt" || fail "info proc differs from gdb's: $(cat "$TMP/diff.txt")"

# Bad input: one error line and a failed exit, each.
for cmd in 'info symbol nonsense' 'xinfo' 'info proc foo'; do
	rc=0
	env -u _ "$BOOTSCOPE" --batch -ex starti -ex "$cmd" "$HELLO" >/dev/null 2>"$TMP/err.txt" || rc=$?
	[ "$rc" -ne 0 ] || fail "$cmd: exit 0"
	[ "$(wc -l <"$TMP/err.txt")" -eq 1 ] || fail "$cmd: errors: $(cat "$TMP/err.txt")"
done

finish
