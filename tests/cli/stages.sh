#!/usr/bin/env bash
# Break at every boot stage in order (one temporary breakpoint per stage)
# and check, with expect and with the JSON events, what must hold there:
# fs_base 0 before settls; &m0.tls[0]+8 after it; g == &runtime.g0 after the
# wire; the funcval passed to newproc points at runtime.main; after newproc
# goid 1 is _Grunnable in P0's runnext; at runtime.main g1 is _Grunning on
# m0; GOMAXPROCS=1 and 3 give that many Ps. Addresses come from nm.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

bs_json --list-stages "$HELLO" || fail "--list-stages failed: $(cat "$TMP/err.txt")"
cp "$TMP/out.jsonl" "$TMP/stages.json"

for procs in 1 3; do
	# The script: a tbreak per distinct stage address, run, then a
	# continue per stage with the checks that hold at the next stage.
	python3 - "$TMP/stages.json" >"$TMP/walk.gdb" <<'PY'
import json, sys
stages = json.load(open(sys.argv[1]))["stages"]
checks = {
    "_rt0_amd64_linux": ["expect $fs_base == 0", "expect *$rsp == 1",
                         "expect $g == 0"],
    "_rt0_amd64": ["expect $fs_base == 0"],
    "rt0_go.settls": ["expect $fs_base == 0",
                      "expect $rdi == &runtime.m0.tls[0]"],
    "runtime.settls": ["expect $fs_base == 0"],
    "rt0_go.tls_check": ["expect $fs_base == &runtime.m0.tls[0] + 8"],
    "rt0_go.wire": ["expect *($fs_base - 8) == 0x123",
                    "expect runtime.m0.tls[0] == 0x123",
                    "si",
                    "expect $g == &runtime.g0",
                    "expect *($fs_base - 8) == &runtime.g0"],
    "runtime.check": ["expect $g == &runtime.g0",
                      "expect runtime.g0.m == &runtime.m0",
                      "expect runtime.m0.g0 == &runtime.g0",
                      "expect $fs_base == &runtime.m0.tls[0] + 8",
                      "expect runtime.g0.stack.hi > runtime.g0.stack.lo"],
    "runtime.args": ["expect $rdi == 1"],
    "runtime.schedinit": ["expect runtime.allp.len == 0", "info gmp"],
    "runtime.newproc": ["expect *(*($rsp + 32)) == runtime.main",
                        "expect *$rax == runtime.main",
                        "expect runtime.allglen == 0",
                        "expect runtime.allp[0].m == &runtime.m0",
                        "expect runtime.m0.p == runtime.allp[0]",
                        "info gmp"],
    "runtime.mstart": ["expect runtime.allglen == 1", "info gmp"],
    "runtime.main": ["expect $g.goid == 1", "expect $g.atomicstatus == 2",
                     "expect $g.m == &runtime.m0", "expect runtime.m0.curg == $g",
                     "info gmp"],
    "main.main": ["expect $g.goid == 1"],
    "runtime.exit": ["expect $rdi == 0"],
}
seen = set()
order = []
for s in stages:
    if s["addr"] in seen:
        continue
    seen.add(s["addr"])
    order.append(s["name"])
    print(f"tbreak *{s['addr']}")
print("run")
for i, name in enumerate(order):
    print(f"echo at {name}\\n")
    for c in checks.get(name, []):
        print(c)
    print("continue")
PY
	rc=0
	GOMAXPROCS=$procs bs_json -x "$TMP/walk.gdb" "$HELLO" || rc=$?
	cp "$TMP/out.jsonl" "$TMP/walk-$procs.jsonl"
	[ "$rc" -eq 0 ] || fail "GOMAXPROCS=$procs: exit $rc: $(cat "$TMP/err.txt")"
	check_jsonl "$TMP/walk-$procs.jsonl" || fail "GOMAXPROCS=$procs: not JSON Lines"
	python3 - "$TMP/walk-$procs.jsonl" "$TMP/stages.json" "$procs" \
		"$(nm_addr runtime.g0)" "$(nm_addr runtime.m0)" <<'PY' || fail "GOMAXPROCS=$procs: event checks"
import json, sys
from events import Checks, hexint, load
events = load(sys.argv[1])
stages = json.load(open(sys.argv[2]))["stages"]
procs, g0, m0 = int(sys.argv[3]), hexint(sys.argv[4]), hexint(sys.argv[5])
check = Checks()

for e in events:
    if e["event"] == "expect" and not e["ok"]:
        check.fail(f"expect failed: {e}")

# The stops, in order, are the stages in boot order (one per address).
want = []
seen = set()
for s in stages:
    if s["addr"] not in seen:
        seen.add(s["addr"])
        want.append(s)
stops = [e for e in events if e["event"] == "stop" and e["reason"] == "breakpoint"]
got = [e["at_stage"] for e in stops]
# at a shared address the later stage in boot order is reported
names_by_addr = {}
for s in stages:
    names_by_addr[s["addr"]] = s["name"]
check(got == [names_by_addr[s["addr"]] for s in want],
      f"stop order {got}")
for e in stops:
    check(e["stage"] == e["at_stage"], f"current stage {e['stage']} at {e['at_stage']}")
    check(e["pc"] == e["regs"]["rip"], "pc == regs.rip")
check(events[-1]["event"] == "exited" and events[-1]["code"] == 0, f"end {events[-1]}")

def stop_at(name):
    return next(e for e in stops if e["at_stage"] == name)
for name in ("_rt0_amd64_linux", "rt0_go.settls", "runtime.settls"):
    e = stop_at(name)
    check(e["fs_base"] == "0x0" and e["g"] is None and e["g_label"] is None,
          f"{name}: fs_base {e['fs_base']} g {e['g']}")
e = stop_at("runtime.check")
check(hexint(e["g"]) == g0 and e["g_label"] == "g0", f"check: g {e['g']} {e['g_label']}")

# The stepped instruction after the wire: a step stop with g == g0.
steps = [e for e in events if e["event"] == "stop" and e["reason"] == "step"]
check(len(steps) == 1 and hexint(steps[0]["g"]) == g0, f"step after wire {steps}")

# gmp views: after the stage echo, in order schedinit, newproc, mstart, main.
gmps = {}
current = None
for e in events:
    if e["event"] == "echo":
        current = e["text"].split()[1]
    if e["event"] == "gmp":
        gmps[current] = e
check(gmps["runtime.schedinit"]["p"] == [], "no P before procresize")

g = gmps["runtime.newproc"]
ps = g["p"]
check(len(ps) == procs, f"newproc: {len(ps)} Ps, GOMAXPROCS={procs}")
check([p["id"] for p in ps] == list(range(procs)), "P ids")
check(ps[0]["status_name"] == "_Prunning" and hexint(ps[0]["m"]) == m0, f"P0 {ps[0]}")
check(all(p["status_name"] == "_Pidle" and p["m_id"] is None for p in ps[1:]), "other Ps idle")
check(g["sched"]["npidle"] == procs - 1, f"npidle {g['sched']['npidle']}")
check(sorted(g["sched"]["pidle"]) == list(range(1, procs)), f"pidle {g['sched']['pidle']}")
m = [x for x in g["m"] if hexint(x["addr"]) == m0]
check(len(m) == 1 and m[0]["id"] == 0 and m[0]["p_id"] == 0, f"m0 {g['m']}")
check(all(x["goid"] != 1 for x in g["g"]), "no goid 1 before newproc")

g = gmps["runtime.mstart"]
g1 = [x for x in g["g"] if x["goid"] == 1]
check(len(g1) == 1 and g1[0]["status_name"] == "_Grunnable", f"after newproc: {g1}")
check(g["p"][0]["runnext_goid"] == 1, f"P0 runnext {g['p'][0]['runnext_goid']}")
check(g1 and g["p"][0]["runnext"] == g1[0]["addr"], "runnext is g1's address")
check(g1 and g1[0]["label"] == "g1", "label g1")
check(g1 and g1[0]["startpc_symbol"] in ("runtime.main", None), f"startpc {g1}")

g = gmps["runtime.main"]
g1 = [x for x in g["g"] if x["goid"] == 1]
check(len(g1) == 1 and g1[0]["status_name"] == "_Grunning", f"at main: {g1}")
check(g1 and hexint(g1[0]["m"]) == m0, "g1 on m0")
check(g["current_g_label"] == "g1", f"current g {g['current_g_label']}")
m = [x for x in g["m"] if hexint(x["addr"]) == m0]
check(m and m[0]["curg_label"] == "g1", f"m0.curg {m}")
check(g["p"][0]["runnext_goid"] is None, "runnext taken")

sys.exit(check.report())
PY
done

finish
