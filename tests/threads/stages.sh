#!/usr/bin/env bash
# The thread-event stages: listed apart from the boot stages at their
# symbols' addresses (nm), and breakable by name.
#  clone: in runtime.main, newm(sysmon) calls runtime.clone with the flags
#    of <linux/sched.h> (CLONE_SETTLS is added inside), the new M in rdx,
#    its g0 in rcx, the top of that g0's stack in rsi and runtime.mstart in
#    r8. With only that thread running, clone returns the new thread's id;
#    the new thread is followed, its fs_base is already &m.tls[0] + 8
#    (CLONE_SETTLS), and it has not stored its g yet. Selected (thread) and
#    run alone, it reaches runtime.mstart, then the sysmon stage, as m1.
#  entersyscall / exitsyscall: a goroutine of sleeper enters the kernel
#    (_Grunning -> _Gsyscall, its P -> _Psyscall without an M, m.oldp = P)
#    and comes back (_Gsyscall -> _Grunning on an M with a P): finish from
#    exitsyscall ends in the same goroutine, whichever thread runs it.
# usage: stages.sh BOOTSCOPE RTDIR
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

hello=$(prog hello)
bs_json "$TMP/list.jsonl" --list-stages "$hello" || fail "--list-stages: $(cat "$TMP/list.jsonl.err")"
want=""
for s in clone:runtime.clone sysmon:runtime.sysmon entersyscall:runtime.entersyscall \
	exitsyscall:runtime.exitsyscall steal:runtime.runqsteal; do
	want+="${s%%:*} ${s#*:} $(nm_addr "$hello" "${s#*:}")
"
done
check_eq "thread stages: names, symbols and nm addresses" \
	"$(python3 -c 'import json,sys
for s in json.loads(open(sys.argv[1]).readline())["thread_stages"]:
    print(s["name"], s["symbol"], s["addr"])' "$TMP/list.jsonl")" "${want%$'\n'}"
check_eq "thread stages are not boot stages" \
	"$(python3 -c 'import json,sys
print(sum(s["name"] in ("clone", "sysmon", "steal") for s in json.loads(open(sys.argv[1]).readline())["stages"]))' "$TMP/list.jsonl")" 0

flags=0
for f in CLONE_VM CLONE_FS CLONE_FILES CLONE_SIGHAND CLONE_SYSVSEM CLONE_THREAD; do
	v=$(awk -v f="$f" '$1 == "#define" && $2 == f { print $3 }' /usr/include/linux/sched.h)
	[ -n "$v" ] || { fail "no $f in <linux/sched.h>"; v=0; }
	flags=$((flags | v))
done
tls=$(gdb_off "$hello" m 'tls[0]')
mstart=$(nm_addr "$hello" runtime.mstart)

cat >"$TMP/clone.cmd" <<EOF2
break clone
run
expect \$rdi == $flags
expect \$r8 == runtime.mstart
expect \$g.goid == 1
info gmp
set scheduler-locking on
finish
info threads
print/x \$rax
thread \$rax
until runtime.mstart
info gmp
break sysmon
continue
info threads
set scheduler-locking step
delete
continue
EOF2
rc=0
GOMAXPROCS=2 bs_json "$TMP/clone.jsonl" -x "$TMP/clone.cmd" "$hello" || rc=$?
check_eq "clone walk: exit status" "$rc" 0
python3 - "$TMP/clone.jsonl" "$tls" "$mstart" <<'PY' || fail "clone walk: see above"
import sys
from events import Checks, hexint, load, named
ev = load(sys.argv[1])
tls, mstart = int(sys.argv[2]), hexint(sys.argv[3])
check = Checks()
stops, gmps, threads = named(ev, "stop"), named(ev, "gmp"), named(ev, "threads")
check(all(e["ok"] for e in named(ev, "expect")) and len(named(ev, "expect")) == 3, f"expects: {named(ev, 'expect')}")
if len(stops) < 4 or len(gmps) < 2 or len(threads) < 2:
    print("mismatch: events", [e["event"] for e in ev], file=sys.stderr)
    sys.exit(1)
s0, fin, at_mstart, at_sysmon = stops[:4]
check(s0["at_stage"] == "clone" and s0["g_label"] == "g1", f"clone stop: {s0['at_stage']} {s0['g_label']}")
regs = s0["regs"]
mp, g0, stk = hexint(regs["rdx"]), hexint(regs["rcx"]), hexint(regs["rsi"])
m = [x for x in gmps[0]["m"] if hexint(x["addr"]) == mp]
check(len(m) == 1 and m[0]["id"] == 1 and hexint(m[0]["g0"]) == g0 and m[0]["procid"] == 0,
      f"rdx {mp:#x} is not the new m1 with g0 = rcx: {m}")
g0s = [g for g in gmps[0]["g"] if hexint(g["addr"]) == g0]
check(len(g0s) == 1 and hexint(g0s[0]["stack_hi"]) == stk and g0s[0]["label"] == "m1.g0",
      f"rsi {stk:#x} is not m1.g0's stack top: {g0s}")
# clone returned in the parent: the child's tid, followed, TLS set, no g yet.
tid = int(named(ev, "print")[0]["value"])
check(fin["reason"] == "finish" and fin["tid"] == s0["tid"], f"finish {fin['reason']} on {fin['tid']}")
child = [t for t in threads[0]["threads"] if t["tid"] == tid]
check(tid > 0 and tid != s0["tid"] and len(child) == 1, f"clone returned {tid}; threads {threads[0]['threads']}")
if child:
    c = child[0]
    check(hexint(c["fs_base"]) == mp + tls + 8, f"child fs_base {c['fs_base']}, want m1 + tls + 8")
    check(c["g"] is None and c["m_id"] == 1 and c["state"] == "starting", f"child before its first instruction: {c}")
check(named(ev, "thread")[0]["tid"] == tid, "thread $rax did not select the child")
# The child alone: runtime.mstart on m1's g0, then sysmon.
check(at_mstart["tid"] == tid and hexint(at_mstart["pc"]) == mstart, f"until mstart: {at_mstart['symbol']} on {at_mstart['tid']}")
check(hexint(at_mstart["fs_base"]) == mp + tls + 8 and hexint(at_mstart["g"]) == g0 and at_mstart["g_label"] == "m1.g0",
      f"at mstart: fs {at_mstart['fs_base']} g {at_mstart['g']} {at_mstart['g_label']}")
m = [x for x in gmps[1]["m"] if hexint(x["addr"]) == mp]
check(m and m[0]["procid"] == tid and m[0]["sysmon"], f"m1 at mstart: {m}")
check(at_sysmon["at_stage"] == "sysmon" and at_sysmon["tid"] == tid and at_sysmon["breakpoint"] == 2,
      f"continue (locked) stopped at {at_sysmon['symbol']} on {at_sysmon['tid']}")
st = [t for t in threads[1]["threads"] if t["tid"] == tid]
check(st and st[0]["state"] == "sysmon" and st[0]["m_id"] == 1, f"sysmon's thread: {st}")
check(threads[1]["scheduler_locking"] == "on", f"locking {threads[1]['scheduler_locking']}")
check(named(ev, "exited") and named(ev, "exited")[0]["code"] == 0, "hello did not exit 0")
sys.exit(check.report())
PY
checks=$((checks + 1))

# entersyscall and exitsyscall, on sleeper. m.oldp is a puintptr (not a
# pointer type), so the P's fields are read at gdb's offsets.
sleeper=$(prog sleeper)
pstatus=$(gdb_off "$sleeper" p status)
pm=$(gdb_off "$sleeper" p m)
cat >"$TMP/sys.cmd" <<EOF2
break entersyscall
run
expect \$g.atomicstatus == 2
expect \$g.m.p != 0
print/x \$g.m.p
set scheduler-locking on
finish
expect \$g.atomicstatus == 3
expect \$g.m.p == 0
print/x \$g.m.oldp
print/x *(\$g.m.oldp + $pstatus) & 0xffffffff
print/x *(\$g.m.oldp + $pm)
set scheduler-locking step
delete
break exitsyscall
continue
expect \$g.atomicstatus == 3
expect \$g.m.p == 0
print \$g.goid
delete
finish
print \$g.goid
expect \$g.atomicstatus == 2
expect \$g.m.p != 0
expect \$g.m.oldp == 0
continue
EOF2
rc=0
GOMAXPROCS=2 bs_json "$TMP/sys.jsonl" -x "$TMP/sys.cmd" "$sleeper" || rc=$?
check_eq "syscall walk: exit status" "$rc" 0
python3 - "$TMP/sys.jsonl" <<'PY' || fail "syscall walk: see above"
import sys
from events import Checks, load, named
ev = load(sys.argv[1])
check = Checks()
ex = named(ev, "expect")
pr = named(ev, "print")
st = named(ev, "stop")
if len(ex) != 9 or not all(e["ok"] for e in ex):
    check.fail(f"expects: {[(e['expr'], e['ok']) for e in ex]}")
if len(pr) == 6:
    # finish returns from exitsyscall in the same goroutine
    if pr[4]["value"] != pr[5]["value"]:
        check.fail(f"finish from exitsyscall of g{pr[4]['value']} stopped in g{pr[5]['value']}")
    if pr[1]["value"] != pr[0]["value"]:
        check.fail(f"m.oldp {pr[1]['hex']} is not the P it held, {pr[0]['hex']}")
    if pr[2]["value"] != 2 or pr[3]["value"] != 0:
        check.fail(f"the P is not _Psyscall without an M: status {pr[2]['value']}, m {pr[3]['hex']}")
else:
    check.fail(f"{len(pr)} prints")
if len(st) < 4 or st[0]["at_stage"] != "entersyscall" or st[2]["at_stage"] != "exitsyscall":
    check.fail(f"stops: {[(s['reason'], s['at_stage']) for s in st]}")
if not any(e["event"] == "exited" and e["code"] == 0 for e in ev):
    check.fail("sleeper did not exit 0")
sys.exit(check.report())
PY
checks=$((checks + 1))

finish
