#!/usr/bin/env bash
# System calls as boot events, with strace and gdb as the witnesses:
# - the names `info syscalls` lists for the bundled hello are strace -f's
#   for the same program and environment: the main thread's exactly (a
#   free run to the exit, and single-stepped to runtime.exit), and every
#   other thread's first calls as far as both runs got (how far depends on
#   timing);
# - catch syscall arch_prctl + run stops at the entry with ARCH_SET_FS and
#   the address strace shows, made by runtime.settls; continue stops at the
#   return with 0, and $fs_base is then that address, as gdb's after the
#   call; info breakpoints counts two hits, as gdb;
# - a stepi over the `syscall` instruction of runtime.settls (objdump's)
#   carries the same decoded call with its result, as does the step after
#   it in the record (goto, reverse-stepi), and no other step;
# - catch syscall clone on workers (GOMAXPROCS=2) shows CLONE_SETTLS and a
#   tls value that is the new thread's fs_base, as gdb's;
# - disable, enable and delete act on catchpoints;
# - catch's words and info breakpoints' What are gdb's; bad input is one
#   error line (gdb's words for unknown names and groups) and status 1.
# usage: syscalls.sh BOOTSCOPE HELLO WORKERS
. "$(dirname "$0")/lib.sh"
WORKERS=$(realpath "${3:?usage: $0 BOOTSCOPE HELLO WORKERS}")
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: no gdb" >&2; exit 77; }
command -v strace >/dev/null || { echo "skip: no strace" >&2; exit 77; }
gdb_ptrace_probe gdb -nx -batch -ex run "$HELLO"

# ---- bad input: one error line, status 1 --------------------------------
bad() { # bad WANT CMD: the one error line of CMD ends with WANT
	local want=$1 cmd=$2 rc=0
	env -u _ "$BOOTSCOPE" --batch -ex "$cmd" "$HELLO" >"$TMP/bad.out" 2>"$TMP/bad.err" || rc=$?
	[ "$rc" -eq 1 ] || fail "$cmd: status $rc, want 1"
	[ "$(grep -c '' "$TMP/bad.err")" -eq 1 ] || fail "$cmd: not one error line: $(cat "$TMP/bad.err")"
	grep -qF -- "-ex 1: $want" "$TMP/bad.err" || fail "$cmd: said '$(cat "$TMP/bad.err")', want '$want'"
}
# gdb's words for unknown names and groups, in the project's case: first
# letter lowercase, no full stop
gdb_err() {
	{ gdb -nx -batch -ex "$1" "$HELLO" 2>&1 || true; } | head -n 1 | sed 's/^\(.\)/\L\1/; s/\.$//'
}
for cmd in 'catch syscall nosuchcall' 'catch syscall g:nosuchgroup' \
	'catch syscall group:nosuchgroup' 'catch syscall write nosuchcall'; do
	want=$(gdb_err "$cmd")
	case $want in unknown*) ;; *) fail "gdb says '$want' for $cmd" ;; esac
	bad "$want" "$cmd"
done
bad "unknown syscall name 'nosuchcall'" 'tcatch syscall nosuchcall'
bad "syscall number 512 is too large: the system calls are 0 to 511" 'catch syscall 512'
bad "syscall number 99999999999 is too large" 'catch syscall 99999999999'
bad "undefined catch command 'nosuchevent'; the catch commands are syscall" 'catch nosuchevent'
bad "catch needs an argument: catch syscall" 'catch'
bad "info syscalls takes no argument but -c, not '-x'" 'info syscalls -x'
bad "no breakpoint number 7" 'enable 7'
bad "no breakpoint number 7" 'disable 7'

# ---- catch's words and info breakpoints' What, as gdb's -------------------
specs=('catch syscall arch_prctl' 'catch syscall write read' 'catch syscall'
	'catch syscall 400' 'tcatch syscall exit_group' 'catch syscall 1 group:memory')
exs=()
for s in "${specs[@]}"; do exs+=(-ex "$s"); done
gdb -nx -batch "${exs[@]}" -ex 'info breakpoints' "$HELLO" >"$TMP/gdb-catch.txt" 2>&1 || true
env -u _ "$BOOTSCOPE" --batch "${exs[@]}" -ex 'info breakpoints' "$HELLO" \
	>"$TMP/bs-catch.txt" 2>&1 || fail "catch commands failed: $(cat "$TMP/bs-catch.txt")"
want=$(grep '^Catchpoint' "$TMP/gdb-catch.txt")
got=$(grep '^Catchpoint' "$TMP/bs-catch.txt")
[ "$got" = "$want" ] || fail "catch's words: bootscope
$got
gdb
$want"
# Num, Disp, Enb and What of each row
rows() { awk '$2 == "catchpoint" { d = $3; e = $4; $1 = $1; sub(/^[0-9]+ catchpoint (keep|del) [yn] ([0-9]+ )?/, ""); print d, e, $0 }' "$1" | sed 's/ *$//'; }
want=$(rows "$TMP/gdb-catch.txt")
got=$(rows "$TMP/bs-catch.txt")
[ -n "$want" ] && [ "$got" = "$want" ] || fail "info breakpoints: bootscope
$got
gdb
$want"

# disable, enable and delete: a disabled or deleted catchpoint never
# stops, an enabled one does (gdb's hit counts: 0, then the entry's)
bs_json -ex 'catch syscall arch_prctl' -ex 'disable 1' -ex run -ex 'info breakpoints' \
	-ex 'enable' -ex run -ex 'info breakpoints' -ex 'delete' -ex run "$HELLO" ||
	fail "disable, enable, delete: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" <<'PY' || fail "disable, enable, delete: see above"
import sys
from events import Checks, load
check = Checks()
seq = []
for e in load(sys.argv[1]):
    if e["event"] in ("stop", "exited"):
        seq.append(e.get("reason", e["event"]))
    elif e["event"] == "breakpoints":
        b = e["breakpoints"]
        seq.append("%s hits %d" % ("enabled" if b[0]["enabled"] else "disabled", b[0]["hits"]))
    elif e["event"] in ("enable", "disable", "delete"):
        seq.append("%s %s" % (e["event"], e["ids"]))
want = ["disable [1]", "exited", "disabled hits 0", "enable [1]", "syscall", "enabled hits 1",
        "delete [1]", "exited"]
check(seq == want, "%s, want %s" % (seq, want))
sys.exit(check.report())
PY

# ---- the names strace sees -----------------------------------------------
# strace -f: "PID name(..." per call (a resumed call is not a new one);
# the program's own execve is strace's, before the entry point
env -u _ strace -f -qq -e trace=all -o "$TMP/strace.txt" "$HELLO" >/dev/null ||
	fail "strace $HELLO failed"
# a free run: every thread runs, as under strace (record-continue on
# would single-step the first thread, the others never running)
bs_json -ex 'set record-continue off' -ex run -ex 'info syscalls' "$HELLO" ||
	fail "run, info syscalls: $(cat "$TMP/err.txt")"
cp "$TMP/out.jsonl" "$TMP/free.jsonl"
# single-stepped: every call seen at its `syscall` instruction
bs_json -ex 'stage runtime.exit' -ex 'info syscalls' "$HELLO" ||
	fail "stage runtime.exit, info syscalls: $(cat "$TMP/err.txt")"
cp "$TMP/out.jsonl" "$TMP/stepped.jsonl"

python3 - "$TMP/strace.txt" "$TMP/free.jsonl" "$TMP/stepped.jsonl" <<'PY' || fail "info syscalls against strace: see above"
import re, sys
from events import Checks, last, load

check = Checks()

def strace_calls(path):
    """[(tid, name, result text)] in strace's order, without its execve."""
    calls = []
    for line in open(path):
        m = re.match(r"^(\d+)\s+([a-z_0-9]+)\((.*)$", line)
        if not m:
            continue
        res = re.search(r"\)\s+=\s+(\S+)", line)
        calls.append((int(m.group(1)), m.group(2), res.group(1) if res else None))
    # a resumed call's result
    for line in open(path):
        m = re.match(r"^(\d+)\s+<\.\.\. ([a-z_0-9]+) resumed>.*\)\s+=\s+(\S+)", line)
        if m:
            for i in range(len(calls) - 1, -1, -1):
                if calls[i][0] == int(m.group(1)) and calls[i][1] == m.group(2):
                    calls[i] = (calls[i][0], calls[i][1], m.group(3))
                    break
    if calls and calls[0][1] == "execve":
        calls = calls[1:]
    return calls

def bs_calls(path):
    ev = load(path)
    log = last(ev, "syscalls")["syscalls"]
    return [(c["tid"], c["name"], str(c["ret"]) if c["returned"] else None)
            for c in log if c["kind"] == "call"]

def threads(calls):
    """{tid: [names]} and the tids in the order their clone returned them,
    the first thread first."""
    per, order = {}, [calls[0][0]] if calls else []
    for tid, name, res in calls:
        per.setdefault(tid, []).append(name)
    for tid, name, res in calls:
        if name == "clone" and res and res.isdigit() and int(res) > 0:
            order.append(int(res))
    return per, order

st = strace_calls(sys.argv[1])
st_per, st_order = threads(st)
check(len(st_order) >= 1 and st_per.get(st_order[0]), "strace saw no calls")
main_want = st_per[st_order[0]]
print("strace, main thread:", " ".join(main_want))

for what, path in (("free run", sys.argv[2]), ("stepped", sys.argv[3])):
    bs = bs_calls(path)
    per, order = threads(bs)
    if not order:
        check.fail("%s: info syscalls lists no call" % what)
        continue
    got = per[order[0]]
    want = main_want if what == "free run" else main_want[:-1]  # exit_group comes after runtime.exit
    check(got == want, "%s: the main thread's calls are %s, strace's %s" % (what, got, want))
    if what == "free run":
        check(len(order) == len(st_order),
              "%s: %d threads, strace %d" % (what, len(order), len(st_order)))
        for k, (a, b) in enumerate(zip(order[1:], st_order[1:]), 1):
            # how far a new thread gets before exit_group ends it depends
            # on timing, under strace too: as far as both got, the same
            g, w = per.get(a, []), st_per.get(b, [])
            n = min(3, len(g), len(w))
            check(g[:n] == w[:n], "%s: thread %d starts with %s, strace's with %s"
                  % (what, k, g[:n], w[:n]))
    ev = load(path)
    s = last(ev, "syscalls")
    check(sum(c["count"] for c in s["counts"]) == s["total"] == len(s["syscalls"]),
          "%s: the counts do not add up to the log" % what)
    ap = [c for c in s["counts"] if c["name"] == "arch_prctl"]
    check(ap and ap[0]["first_caller"] == "runtime.settls",
          "%s: the first arch_prctl's caller is %s" % (what, ap and ap[0]["first_caller"]))
    print("ok   %s: the main thread's %d calls are strace's" % (what, len(got)))
sys.exit(check.report())
PY

# ---- catch syscall arch_prctl, against gdb and strace --------------------
want_arg=$(awk '$2 ~ /^arch_prctl\(ARCH_SET_FS,/ { sub(/\).*/, "", $3); print $3; exit }' "$TMP/strace.txt")
[ -n "$want_arg" ] || fail "strace shows no arch_prctl(ARCH_SET_FS, …)"
gdb_batch -ex 'catch syscall arch_prctl' -ex run -ex 'p/x $rsi' -ex continue \
	-ex 'p/x $fs_base' -ex 'info breakpoints' >"$TMP/gdb-ap.txt" || true
gdb_arg=$(sed -n 's/^\$1 = //p' "$TMP/gdb-ap.txt")
gdb_fs=$(sed -n 's/^\$2 = //p' "$TMP/gdb-ap.txt")
gdb_hits=$(sed -n 's/.*catchpoint already hit \([0-9]*\) time.*/\1/p' "$TMP/gdb-ap.txt")
[ "$gdb_arg" = "$want_arg" ] || fail "gdb's rsi at arch_prctl $gdb_arg, strace's $want_arg"
bs_json -ex 'catch syscall arch_prctl' -ex run -ex continue -ex 'p $fs_base' \
	-ex 'info breakpoints' "$HELLO" || fail "catch syscall arch_prctl: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" "$want_arg" "$gdb_fs" "$gdb_hits" <<'PY' || fail "catch syscall arch_prctl: see above"
import sys
from events import Checks, hexint, load, named
ev = load(sys.argv[1])
arg, gdb_fs, gdb_hits = hexint(sys.argv[2]), hexint(sys.argv[3]), int(sys.argv[4] or -1)
check = Checks()
stops = named(ev, "stop")
check(len(stops) == 2, "%d stops, want 2" % len(stops))
if len(stops) == 2:
    a, b = stops
    for s, ret in ((a, False), (b, True)):
        check(s["reason"] == "syscall" and s["catchpoint"] == 1 and s["syscall_return"] == ret,
              "stop %s %s %s" % (s["reason"], s.get("catchpoint"), s.get("syscall_return")))
        c = s.get("syscall", {})
        check(c.get("name") == "arch_prctl" and c.get("nr") == 158, "call %s" % c.get("name"))
        check(c.get("caller") == "runtime.settls", "caller %s, want runtime.settls" % c.get("caller"))
        check(c.get("tid") == s["tid"], "the call's thread %s, the stop's %s" % (c.get("tid"), s["tid"]))
        args = c.get("args", [])
        check(len(args) >= 2 and args[0]["text"] == "ARCH_SET_FS" and hexint(args[1]["raw"]) == arg,
              "args %s, want ARCH_SET_FS, %#x" % (args, arg))
        check(c.get("returned") == ret, "returned %s at %s" % (c.get("returned"), ret))
    check(a["syscall"].get("index") == b["syscall"].get("index") == 0,
          "the entry's and the return's log index %s %s, want 0" %
          (a["syscall"].get("index"), b["syscall"].get("index")))
    check(b["syscall"].get("ret") == 0 and b["syscall"].get("ret_text") == "0",
          "result %s %s" % (b["syscall"].get("ret"), b["syscall"].get("ret_text")))
    check(hexint(b["fs_base"]) == gdb_fs, "fs_base at the return %s, gdb %#x" % (b["fs_base"], gdb_fs))
p = named(ev, "print")
check(p and p[-1]["value"] == gdb_fs == arg, "p $fs_base %s, gdb's %#x, the argument %#x"
      % (p and p[-1]["value"], gdb_fs, arg))
bp = named(ev, "breakpoints")[-1]["breakpoints"]
check(bp and bp[0]["type"] == "catchpoint" and bp[0]["hits"] == gdb_hits,
      "info breakpoints: %s, gdb's hits %d" % (bp, gdb_hits))
sys.exit(check.report())
PY
# the text: gdb's first words, then the call as strace writes it
env -u _ "$BOOTSCOPE" --batch -ex 'catch syscall arch_prctl' -ex run -ex continue "$HELLO" \
	>"$TMP/ap.txt" 2>&1 || fail "catch syscall arch_prctl (text) failed"
for w in 'Catchpoint 1 (call to syscall arch_prctl), ' 'Catchpoint 1 (returned from syscall arch_prctl), '; do
	grep -qF "$w" "$TMP/gdb-ap.txt" || fail "gdb does not say '$w'"
	grep -qF "$w" "$TMP/ap.txt" || fail "bootscope does not say '$w': $(cat "$TMP/ap.txt")"
done
grep -qE "^arch_prctl\(ARCH_SET_FS, $want_arg( <[^>]*>)?\) = 0$" "$TMP/ap.txt" ||
	fail "no 'arch_prctl(ARCH_SET_FS, $want_arg) = 0' line: $(cat "$TMP/ap.txt")"
grep -qE "^   by runtime\.settls, thread [0-9]+" "$TMP/ap.txt" ||
	fail "no 'by runtime.settls' line: $(cat "$TMP/ap.txt")"

# ---- stepi over runtime.settls's `syscall` ---------------------------------
sc=$(objdump -d --no-show-raw-insn "$HELLO" |
	awk '/<runtime.settls>:/ { f = 1 } f && $2 == "syscall" && !done { sub(":", "", $1); print "0x" $1; done = 1 }')
[ -n "$sc" ] || fail "objdump finds no syscall in runtime.settls"
bs_json -ex "break *$sc" -ex run -ex stepi "$HELLO" || fail "stepi over syscall: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" "$sc" "$want_arg" <<'PY' || fail "stepi over runtime.settls's syscall: see above"
import sys
from events import Checks, hexint, load, named
ev = load(sys.argv[1])
sc, arg = hexint(sys.argv[2]), hexint(sys.argv[3])
check = Checks()
s = named(ev, "stop")
check(len(s) == 2 and s[0]["reason"] == "breakpoint" and hexint(s[0]["pc"]) == sc,
      "break at the syscall: %s" % [(x["reason"], x["pc"]) for x in s])
check("syscall" not in s[0], "the breakpoint's stop (before the call) has a syscall")
st = s[-1]
c = st.get("syscall", {})
check(st["reason"] == "step" and hexint(st["pc"]) == sc + 2, "stepi stopped at %s" % st["pc"])
check(c.get("name") == "arch_prctl" and hexint(c.get("pc", "0x0")) == sc,
      "the step's call %s at %s" % (c.get("name"), c.get("pc")))
check(c.get("returned") is True and c.get("ret") == 0, "the step's call returned %s" % c.get("ret"))
check(hexint(st["fs_base"]) == arg, "fs_base after the step %s, want %#x" % (st["fs_base"], arg))
check(c.get("caller") == "runtime.settls", "caller %s" % c.get("caller"))
sys.exit(check.report())
PY

# the same step in the record: goto the step after the call names it,
# the steps before and after it name none; a free run before the step
bs_json -ex 'record on' -ex "break *$sc" -ex run -ex 'break runtime.main' -ex continue \
	-ex 'print $steps' "$HELLO" || fail "record to runtime.main: $(cat "$TMP/err.txt")"
at=$(python3 -c 'import sys
from events import load, named
print(named(load(sys.argv[1]), "stop")[0]["steps"])' "$TMP/out.jsonl")
bs_json -ex 'record on' -ex "break *$sc" -ex run -ex 'break runtime.main' -ex continue \
	-ex "goto $at" -ex "goto $((at + 1))" -ex "goto $((at + 2))" -ex 'reverse-stepi' \
	-ex 'set record-continue off' -ex run -ex stepi "$HELLO" ||
	fail "goto around the call: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" <<'PY' || fail "the call in the record: see above"
import sys
from events import Checks, load, named
check = Checks()
s = named(load(sys.argv[1]), "stop")
got = [(x["reason"], x.get("syscall", {}).get("name")) for x in s]
want = [("breakpoint", None), ("breakpoint", None), ("step", None), ("step", "arch_prctl"),
        ("step", None), ("step", "arch_prctl"), ("breakpoint", None), ("step", "arch_prctl")]
check(got == want, "stops %s, want %s" % (got, want))
check(s[-1].get("syscall", {}).get("ret") == 0 and not s[-1]["steps_exact"],
      "stepi after a free run: %s" % s[-1].get("syscall"))
sys.exit(check.report())
PY

# ---- catch syscall clone on workers: CLONE_SETTLS, the tls is the new
# thread's fs_base --------------------------------------------------------
GOMAXPROCS=2 gdb -nx -batch -ex 'set startup-with-shell off' -ex 'catch syscall clone' \
	-ex run -ex 'p/x $r8' -ex continue -ex 'p/x $rax' -ex 'thread 2' -ex 'p/x $fs_base' \
	"$WORKERS" >"$TMP/gdb-clone.txt" 2>&1 || true
gdb_tls=$(sed -n 's/^\$1 = //p' "$TMP/gdb-clone.txt")
gdb_fs2=$(sed -n 's/^\$3 = //p' "$TMP/gdb-clone.txt")
[ -n "$gdb_tls" ] && [ "$gdb_tls" = "$gdb_fs2" ] ||
	fail "gdb: clone's tls $gdb_tls, the new thread's fs_base $gdb_fs2"
GOMAXPROCS=2 env -u _ "$BOOTSCOPE" --batch --json -ex 'catch syscall clone' -ex run -ex continue \
	-ex 'thread $rax' "$WORKERS" >"$TMP/clone.jsonl" 2>"$TMP/clone.err" ||
	fail "catch syscall clone: $(cat "$TMP/clone.err")"
python3 - "$TMP/clone.jsonl" "$gdb_tls" <<'PY' || fail "catch syscall clone on workers: see above"
import sys
from events import Checks, hexint, load, named
ev = load(sys.argv[1])
gdb_tls = hexint(sys.argv[2]) if sys.argv[2] else None
check = Checks()
s = named(ev, "stop")
check(len(s) == 2 and all(x["reason"] == "syscall" for x in s), "stops %s" % [x["reason"] for x in s])
if len(s) == 2:
    a, b = s[0]["syscall"], s[1]["syscall"]
    check(a["name"] == "clone" and not s[0]["syscall_return"] and s[1]["syscall_return"],
          "clone entry and return")
    check(any("CLONE_SETTLS" in x["text"] for x in a["args"]), "no CLONE_SETTLS in %s" % a["args"])
    # strace's order and names: clone(child_stack=…, flags=…, tls=…)
    tls = next((hexint(x["raw"]) for x in a["args"] if x["text"].startswith("tls=")), None)
    check(tls is not None and tls == gdb_tls, "tls %s, gdb's %s" % (tls, sys.argv[2]))
    child = b["ret"]
    check(isinstance(child, int) and child > 0, "clone returned %s" % child)
    th = named(ev, "thread")
    check(th and th[-1]["tid"] == child and hexint(th[-1]["fs_base"]) == tls,
          "thread %s: fs_base %s, the tls given %s" % (child, th and th[-1]["fs_base"], tls))
    check(a["caller"] == "runtime.newosproc", "clone's caller %s" % a["caller"])
sys.exit(check.report())
PY

finish
