#!/usr/bin/env bash
# bootscope stops at every new M's runtime.mstart on that M's own thread,
# with fs_base = &m.tls[0] + 8 and g (fs:-8) = m.g0, where m is the M whose
# procid is the stopped thread's id; gdb, stopped at the same breakpoint,
# sees the same relation, and both see sysmon's M (m1, made before any
# other thread exists, so at the same address in both runs) identically.
# Offsets come from gdb's reading of the DWARF, addresses from nm.
# usage: mstart.sh BOOTSCOPE RTDIR
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: no gdb" >&2; exit 77; }
# gdb names a thread's LWP only through its Python API.
[ "$(gdb -nx -batch -ex 'python print(6 * 7)' 2>/dev/null)" = 42 ] ||
	{ echo "skip: gdb has no Python" >&2; exit 77; }

for spec in sleeper:1 workers:4; do
	name=${spec%%:*} procs=${spec#*:}
	p=$(prog "$name")
	tls=$(gdb_off "$p" m 'tls[0]')
	gm=$(gdb_off "$p" g m)
	mg0=$(gdb_off "$p" m g0)
	mproc=$(gdb_off "$p" m procid)
	mstart=$(nm_addr "$p" runtime.mstart)
	m0=$(nm_addr "$p" runtime.m0)
	[[ $tls =~ ^[0-9]+$ && $gm =~ ^[0-9]+$ && $mg0 =~ ^[0-9]+$ && $mproc =~ ^[0-9]+$ ]] ||
		{ fail "$name: gdb cannot read the offsets: tls=$tls g.m=$gm m.g0=$mg0 m.procid=$mproc"; continue; }

	# gdb: at each hit, fs_base, g, g.m, m.g0, m.procid and the LWP.
	cat >"$TMP/gdb.cmd" <<GDB
set language c
set startup-with-shell off
break *$mstart
commands
silent
printf "hit fs=%#lx g=%#lx m=%#lx g0=%#lx procid=%ld ", \$fs_base, *(long*)(\$fs_base-8), *(long*)(*(long*)(\$fs_base-8)+$gm), *(long*)(*(long*)(*(long*)(\$fs_base-8)+$gm)+$mg0), *(long*)(*(long*)(*(long*)(\$fs_base-8)+$gm)+$mproc)
python print("lwp=%d" % gdb.selected_thread().ptid[1])
continue
end
run
GDB
	GOMAXPROCS=$procs gdb -nx -batch -x "$TMP/gdb.cmd" "$p" >"$TMP/gdb.out" 2>&1 || true

	# bootscope: the same breakpoint, info gmp at every stop.
	{
		echo "break runtime.mstart"
		echo "run"
		for i in $(seq 1 40); do echo "info gmp"; echo "continue"; done
	} >"$TMP/bs.cmd"
	rc=0
	GOMAXPROCS=$procs bs_json "$TMP/bs.jsonl" -x "$TMP/bs.cmd" "$p" || rc=$?

	python3 - "$TMP/bs.jsonl" "$TMP/gdb.out" "$tls" "$m0" "$mstart" "$name" "$rc" <<'PY' || fail "$name GOMAXPROCS=$procs: see above"
import re, sys
from events import Checks, hexint, load
bs, gdbout, tls, m0, mstart, name, rc = sys.argv[1:]
tls, m0, mstart = int(tls), hexint(m0), hexint(mstart)
check = Checks()

# gdb's hits: M address -> (fs, g, g0, procid, lwp)
ghits = {}
for l in open(gdbout):
    m = re.match(r"hit fs=(\S+) g=(\S+) m=(\S+) g0=(\S+) procid=(-?\d+) lwp=(\d+)", l)
    if m:
        fs, g, mm, g0 = (hexint(x) for x in m.groups()[:4])
        ghits[mm] = (fs, g, g0, int(m.group(5)), int(m.group(6)))
check(m0 in ghits and len(ghits) >= 3, f"gdb: {len(ghits)} mstart hits: {sorted(map(hex, ghits))}")
for mm, (fs, g, g0, procid, lwp) in ghits.items():
    check(fs == mm + tls + 8, f"gdb: fs_base {fs:#x} != m {mm:#x} + tls + 8")
    check(g == g0, f"gdb: g {g:#x} != m.g0 {g0:#x} at m {mm:#x}")
    if mm != m0:
        check(procid == lwp, f"gdb: m {mm:#x}.procid {procid} != LWP {lwp}")

ev = load(bs)
check(any(e["event"] == "exited" and e["code"] == 0 for e in ev), "bootscope: no exit with status 0")
stops = [(i, e) for i, e in enumerate(ev) if e["event"] == "stop"]
hits = {}
for i, st in stops:
    check(st["reason"] == "breakpoint" and hexint(st["pc"]) == mstart and st["at_stage"] == "runtime.mstart",
          f"bootscope: stop {st['reason']} at {st['symbol']}")
    gmp = next((e for e in ev[i + 1:] if e["event"] == "gmp"), None)
    if gmp is None:
        check.fail("bootscope: no info gmp after a stop")
        continue
    fs, g = hexint(st["fs_base"]), hexint(st["g"])
    ms = [m for m in gmp["m"] if m["procid"] == st["tid"]]
    if int(fs) == m0 + tls + 8:   # m0's boot: procid is set later (minit)
        ms = [m for m in gmp["m"] if hexint(m["addr"]) == m0]
    if len(ms) != 1:
        check.fail(f"bootscope: no M with procid {st['tid']}: {[(m['id'], m['procid']) for m in gmp['m']]}")
        continue
    m = ms[0]
    ma = hexint(m["addr"])
    check(fs == ma + tls + 8, f"bootscope: m{m['id']}: fs_base {fs:#x} != &m.tls[0] + 8 = {ma + tls + 8:#x}")
    check(g == hexint(m["g0"]), f"bootscope: m{m['id']}: g {g:#x} != m.g0 {m['g0']}")
    want_label = "g0" if ma == m0 else f"m{m['id']}.g0"
    check(st["g_label"] == want_label, f"bootscope: m{m['id']}: g_label {st['g_label']}, want {want_label}")
    check(ma not in hits, f"bootscope: m{m['id']} reached mstart twice")
    hits[ma] = (fs, g, m["id"], m["sysmon"])
check(m0 in hits and len(hits) >= 3, f"bootscope: {len(hits)} mstart stops")
# m1 is sysmon's M in both, made by runtime.main alone: the same address.
sysmon = [a for a, h in hits.items() if h[2] == 1]
check(len(sysmon) == 1 and hits[sysmon[0]][3], f"bootscope: m1 is not sysmon's M: {hits}")
if sysmon:
    a = sysmon[0]
    check(a in ghits and ghits[a][:2] == hits[a][:2],
          f"sysmon's M {a:#x}: bootscope fs/g {tuple(map(hex, hits[a][:2]))}, gdb {tuple(map(hex, ghits.get(a, (0, 0))[:2]))}")
failed = check.report()
print(f"{name}: {len(hits)} mstart stops in bootscope, {len(ghits)} in gdb")
sys.exit(failed)
PY
	checks=$((checks + 1))
done

finish
