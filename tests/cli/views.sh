#!/usr/bin/env bash
# The info views against independent witnesses: readelf (entry, sections,
# program headers), getconf (page size), the program's own path (argv[0]).
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

entry=$(readelf -h "$HELLO" | awk '/Entry point address/ { print $4 }')
phnum=$(readelf -h "$HELLO" | awk '/Number of program headers/ { print $5 }')
pagesize=$(getconf PAGESIZE)
readelf -SW "$HELLO" >"$TMP/sections.txt"
check_addr=$(nm_addr runtime.check)

bs_json -ex 'info registers rip rsp' -ex 'info stack 3' -ex 'x/s *($rsp + 8)' \
	-ex 'info auxv' -ex 'info sections' -ex 'info threads' \
	-ex "break *$check_addr" -ex continue -ex 'info tls' -ex 'info g' -ex 'info stages' \
	-ex 'info breakpoints' -ex 'delete 1' -ex 'info breakpoints' "$HELLO" ||
	fail "bootscope: $(cat "$TMP/err.txt")"
check_jsonl "$TMP/out.jsonl" || fail "not JSON Lines"

python3 - "$TMP/out.jsonl" "$entry" "$phnum" "$pagesize" "$HELLO" "$TMP/sections.txt" "$check_addr" <<'PY' || fail "views"
import sys
from events import by_name, Checks, hexint, load
events = load(sys.argv[1])
entry, phnum, pagesize = hexint(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
hello, check_addr = sys.argv[5], hexint(sys.argv[7])
by = by_name(events)
check = Checks()

regs = by["registers"][0]["regs"]
check(list(regs) == ["rip", "rsp"], f"selected registers {list(regs)}")
check(hexint(regs["rip"]) == entry, f"rip {regs['rip']} at the entry, readelf says {entry:#x}")
check(by["registers"][0]["pc_symbol"] == "_rt0_amd64_linux", "pc symbol")

slots = by["stack"][0]["slots"]
check(by["stack"][0]["sp"] == regs["rsp"], "stack starts at rsp")
check([s["what"] for s in slots[:2]] == ["argc", "argv[0]"], f"slots {slots}")
check(hexint(slots[0]["value"]) == 1, "argc is 1")
check(by["x"][0]["items"][0]["string"] == hello, f"argv[0] {by['x'][0]['items'][0]}")

aux = {a["name"]: hexint(a["value"]) for a in by["auxv"][0]["auxv"]}
check(aux.get("AT_PAGESZ") == pagesize, f"AT_PAGESZ {aux.get('AT_PAGESZ')} != {pagesize}")
check(aux.get("AT_ENTRY") == entry, "AT_ENTRY")
check(aux.get("AT_PHNUM") == phnum, "AT_PHNUM")
check(by["auxv"][0]["argc"] == 1, "auxv argc")

want = {}
for line in open(sys.argv[6]):
    f = line.replace("[ ", "[").split()
    if len(f) > 6 and f[0].startswith("[") and f[1].startswith("."):
        want[f[1]] = (hexint(f[3]), hexint(f[5]))
got = {s["name"]: (hexint(s["addr"]), s["size"]) for s in by["sections"][0]["sections"]}
check(want and got == want, f"sections {got} != readelf {want}")

th = by["threads"][0]["threads"]
check(len(th) == 1 and th[0]["current"] and hexint(th[0]["rip"]) == entry, f"threads {th}")

tls = by["tls"][0]
check(tls["fs_is_m0_tls"] is True and tls["g_label"] == "g0", f"tls {tls}")
check(hexint(tls["g_slot"]) == hexint(tls["fs_base"]) - 8, "g slot")
g = by["g"][0]
check(g["label"] == "g0" and g["goid"] == 0 and g["addr"] == tls["g"], f"info g {g}")
bps = by["breakpoints"]
check(len(bps[0]["breakpoints"]) == 1 and bps[0]["breakpoints"][0]["hits"] == 1
      and hexint(bps[0]["breakpoints"][0]["addr"]) == check_addr, f"breakpoints {bps[0]}")
check(by["delete"][0]["ids"] == [1] and bps[1]["breakpoints"] == [], "delete")
st = {x["name"]: x for x in by["stages"][0]["stages"]}
check(st["_rt0_amd64_linux"]["reached"] and st["_rt0_amd64_linux"]["steps"] == 0, "entry reached")
check(st["runtime.check"]["reached"] and st["runtime.check"]["current"], "check is current")
check(not st["runtime.schedinit"]["reached"] and st["runtime.schedinit"]["steps"] is None,
      "schedinit not reached yet")
check(sum(x["current"] for x in st.values()) == 1, "one current stage")
sys.exit(check.report())
PY

finish
