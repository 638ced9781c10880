#!/usr/bin/env bash
# display, undisplay and info display against gdb: after a breakpoint,
# `display $rsp` and `display/i $pc` (from -ex: not shown at once, as in
# gdb's batch mode) are shown after each of three stepi, with gdb's values at the same stops; undisplay removes one
# (the next stop shows only the other), info display lists them; an
# expression that fails shows its error at each stop and stays.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: no gdb" >&2; exit 77; }

sched=$(nm_addr runtime.schedinit)

# gdb: "rsp VALUE" and "pc ADDR" for each display it shows
gdb_batch -ex "break *$sched" -ex run -ex 'display $rsp' -ex 'display/i $pc' \
	-ex stepi -ex stepi -ex stepi >"$TMP/gdb.txt" || true
want=$(python3 - "$TMP/gdb.txt" <<'PY'
import re, sys
for line in open(sys.argv[1]):
    m = re.match(r"^1: \$rsp = \(void \*\) (0x[0-9a-f]+)", line)
    if m:
        print("rsp", m.group(1))
    m = re.match(r"^=> (0x[0-9a-f]+) <", line)
    if m:
        print("pc", "%#x" % int(m.group(1), 16))
PY
)
[ "$(echo "$want" | grep -c '^rsp')" = 3 ] || { cat "$TMP/gdb.txt" >&2; echo "FAIL: gdb showed no 3 displays" >&2; exit 1; }

bs_json -ex "break *$sched" -ex run -ex 'display $rsp' -ex 'display/i $pc' \
	-ex stepi -ex stepi -ex stepi "$HELLO" || fail "bootscope: $(cat "$TMP/err.txt")"
got=$(python3 - "$TMP/out.jsonl" <<'PY'
import sys
from events import hexint, load
for e in load(sys.argv[1]):
    if e["event"] != "display":
        continue
    if e["id"] == 1:
        assert e["expr"] == "$rsp" and e["format"] is None, e
        print("rsp", "%#x" % e["print"]["value"])
    else:
        assert e["id"] == 2 and e["format"] == "i" and len(e["x"]["items"]) == 1, e
        print("pc", "%#x" % hexint(e["x"]["items"][0]["addr"]))
PY
) || fail "display events"
[ "$got" = "$want" ] || fail "displays: bootscope
$got
gdb
$want"

# each display follows its stop: stop, 1, 2, in that order
python3 - "$TMP/out.jsonl" <<'PY' || fail "display events do not follow their stops"
import sys
from events import load
kinds = [(e["event"], e.get("id")) for e in load(sys.argv[1]) if e["event"] in ("stop", "display")]
assert kinds == [("stop", None)] + [("stop", None), ("display", 1), ("display", 2)] * 3, kinds
PY

# undisplay 1: the next stop shows display 2 only; info display lists it;
# a failing expression shows its error at every stop
bs_json -ex "break *$sched" -ex run -ex 'display $rsp' -ex 'display/i $pc' -ex 'undisplay 1' \
	-ex 'display nosuchsymbol' -ex 'info display' -ex stepi -ex stepi "$HELLO" ||
	fail "undisplay: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" <<'PY' || fail "undisplay / info display / a failing display"
import sys
from events import load
ev = load(sys.argv[1])
assert [e["ids"] for e in ev if e["event"] == "undisplay"] == [[1]]
lst = [e["displays"] for e in ev if e["event"] == "displays"][0]
assert [(d["id"], d["expr"], d["format"]) for d in lst] == [(2, "$pc", "i"), (3, "nosuchsymbol", None)], lst
after = ev[[i for i, e in enumerate(ev) if e["event"] == "displays"][0]:]
shown = [(e["id"], "error" in e) for e in after if e["event"] == "display"]
assert shown == [(2, False), (3, True)] * 2, shown
assert "nosuchsymbol" in [e for e in after if e["event"] == "display" and e["id"] == 3][0]["error"]
PY

# the text form, as gdb's
"$BOOTSCOPE" --batch -ex "break *$sched" -ex run -ex 'display/x $rsp' -ex display -ex 'info display' \
	-ex 'undisplay' -ex 'info display' "$HELLO" >"$TMP/text.txt" 2>&1 || fail "text run"
grep -q '^1: /x \$rsp = 0x7ff' "$TMP/text.txt" || fail "text: no '1: /x \$rsp = 0x…': $(cat "$TMP/text.txt")"
grep -q '^There are no auto-display expressions now.' "$TMP/text.txt" || fail "text: undisplay"

# bad numbers
rc=0
"$BOOTSCOPE" --batch -ex 'display $rsp' -ex 'undisplay 7' "$HELLO" >"$TMP/o.txt" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q 'no display number 7' "$TMP/o.txt" || fail "undisplay 7: $(cat "$TMP/o.txt")"

finish
