#!/usr/bin/env bash
# backtrace, frame, up, down, info frame against gdb: at the same stops of
# the bundled hello, bootscope's frames (pc, sp, function) are gdb's
# (tests/gdb_frames.py; gdb with backtrace past-main on, since bootscope
# shows the boot frames below main.main); $pc and $sp of a selected frame
# are gdb's; through runtime.mcall the stack goes on in the goroutine, as
# gdb unwinds it from that goroutine's g.sched; a replayed recording unwinds as the live process; bad levels
# are one error line each.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace
command -v gdb >/dev/null || { echo "skip: no gdb" >&2; exit 77; }
GDB_FRAMES=$(cd "$(dirname "$0")/.." && pwd)/gdb_frames.py

# gdb's frames: "F LEVEL PC SP NAME" lines.
gdb_frames() { # gdb -ex commands that stop the program somewhere
	gdb_batch -ex 'set backtrace past-main on' -ex "source $GDB_FRAMES" "$@" \
		-ex frames-dump | grep '^F ' || true
}

# bootscope's frames in the same form, from the last backtrace event.
bs_frames() {
	python3 - "$TMP/out.jsonl" <<'PY'
import sys
from events import hexint, last, load
bt = last(load(sys.argv[1]), "backtrace")
for f in bt["frames"]:
    print("F %d %#x %#x %s" % (f["level"], hexint(f["pc"]), hexint(f["sp"]), f["func"]))
PY
}

for sym in runtime.procresize runtime.newproc runtime.schedule runtime.main main.main; do
	gdb_frames -ex "break $sym" -ex run >"$TMP/gdb.txt"
	bs_json -ex "break $sym" -ex run -ex bt "$HELLO" ||
		{ fail "$sym: bootscope: $(cat "$TMP/err.txt")"; continue; }
	bs_frames >"$TMP/bs.txt"
	[ "$(wc -l <"$TMP/gdb.txt")" -ge 2 ] || fail "$sym: gdb shows $(wc -l <"$TMP/gdb.txt") frames"
	diff -u "$TMP/gdb.txt" "$TMP/bs.txt" >"$TMP/diff" ||
		{ fail "$sym: backtrace differs from gdb's:"; cat "$TMP/diff" >&2; }
done

# Through runtime.mcall (park_m, goexit0): on g0 up to mcall (its CFI ends the system
# stack), then goroutine 1 from its g.sched, as gdb unwinds it after
# setting rbp, rsp and rip to m.curg's g.sched.
for sym in runtime.park_m runtime.goexit0; do
	gdb_frames -ex "break $sym" -ex run -ex frames-dump \
		-ex 'set $cg = ((struct g *)*(long *)($fs_base - 8))->m->curg' \
		-ex 'printf "G %ld %#lx\n", $cg->goid, $cg->sched.pc' \
		-ex 'set $rbp = $cg->sched.bp' -ex 'set $sp = $cg->sched.sp' \
		-ex 'set $pc = $cg->sched.pc' >"$TMP/gdb.txt"
	gdb_batch -ex "break $sym" -ex run \
		-ex 'set $cg = ((struct g *)*(long *)($fs_base - 8))->m->curg' \
		-ex 'printf "G %ld %#lx\n", $cg->goid, $cg->sched.pc' | grep '^G ' >"$TMP/g.txt" || true
	bs_json -ex "break $sym" -ex run -ex bt "$HELLO" ||
		{ fail "$sym: bootscope: $(cat "$TMP/err.txt")"; continue; }
	python3 - "$TMP/out.jsonl" "$TMP/gdb.txt" "$TMP/g.txt" <<'PY' || fail "$sym: the frames through mcall differ from gdb's"
import sys
from events import hexint, last, load
bt = last(load(sys.argv[1]), "backtrace")
gdb = [l.split() for l in open(sys.argv[2]) if l.startswith("F ")]
goid, sched_pc = open(sys.argv[3]).read().split()[1:3]
ours = [(f["level"], hexint(f["pc"]), hexint(f["sp"]), f["func"]) for f in bt["frames"]]
k = next(i for i, f in enumerate(bt["frames"]) if f["how"] == "goroutine switch")
assert ours[k - 1][3] == "runtime.mcall", ours
# gdb's two walks: the g0 part (levels 0..k-1), then the goroutine's from 0
want = [(int(l), int(pc, 16), int(sp, 16), n) for _, l, pc, sp, n in gdb]
g0, gor = want[:k], want[k:]
assert [w[1:] for w in g0] == [o[1:] for o in ours[:k]], (g0, ours)
assert [w[0] for w in gor] == list(range(len(gor))), gor
assert [w[1:] for w in gor] == [o[1:] for o in ours[k:]], (gor, ours)
assert bt["frames"][k]["goroutine"] == int(goid), (bt["frames"][k], goid)
assert ours[k][1] == int(sched_pc, 16), (ours[k], sched_pc)
assert all(f["goroutine"] is None for f in bt["frames"][:k]), bt
assert ours[-1][3] == "runtime.goexit", ours
PY
done

# The boot chain at runtime.procresize, by name, innermost first.
gdb_frames -ex 'break runtime.procresize' -ex run >"$TMP/gdb.txt"
[ "$(awk '{print $5}' "$TMP/gdb.txt" | tr '\n' ' ')" = \
	"runtime.procresize runtime.schedinit runtime.rt0_go " ] ||
	fail "unexpected chain at runtime.procresize: $(cat "$TMP/gdb.txt")"

# bt N and bt -N: the innermost and the outermost frames.
bs_json -ex 'break runtime.procresize' -ex run -ex 'bt 1' -ex 'bt -1' "$HELLO" ||
	fail "bt N: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" <<'PY' || fail "bt 1 / bt -1"
import sys
from events import load, named
bt = named(load(sys.argv[1]), "backtrace")
assert [f["func"] for f in bt[0]["frames"]] == ["runtime.procresize"], bt[0]
assert bt[0]["more"] is True, bt[0]
assert [(f["level"], f["func"]) for f in bt[1]["frames"]] == [(2, "runtime.rt0_go")], bt[1]
assert bt[1]["stop_why"] == "outermost", bt[1]
PY

# frame 1 / up / down: $pc, $sp and $rbp of the selected frame, as gdb's.
gdb_batch -ex 'break runtime.procresize' -ex run -ex 'frame 1' \
	-ex 'printf "V %#lx %#lx %#lx\n", $pc, $sp, $rbp' -ex 'frame 2' \
	-ex 'printf "V %#lx %#lx %#lx\n", $pc, $sp, $rbp' -ex 'frame 0' \
	-ex 'printf "V %#lx %#lx %#lx\n", $pc, $sp, $rbp' -ex 'frame 1' -ex 'info frame' |
	grep -E '^V |frame at' >"$TMP/gdb.txt"
bs_json -ex 'break runtime.procresize' -ex run -ex 'frame 1' -ex 'p/x $pc' -ex 'p/x $sp' \
	-ex 'p/x $rbp' -ex up -ex 'p/x $pc' -ex 'p/x $rsp' -ex 'p/x $rbp' -ex 'down 2' \
	-ex 'p/x $rip' -ex 'p/x $sp' -ex 'p/x $rbp' -ex 'frame 1' -ex 'info frame' "$HELLO" ||
	fail "frame: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" "$TMP/gdb.txt" <<'PY' || fail "selected frame registers differ from gdb's"
import re, sys
from events import hexint, load, named
ev = load(sys.argv[1])
gdb = open(sys.argv[2]).read().splitlines()
vals = [hexint(p["hex"]) for p in named(ev, "print")]
want = [int(x, 16) for l in gdb if l.startswith("V ") for x in l.split()[1:]]
assert vals == want, (vals, want)
frames = named(ev, "frame")
assert [f["level"] for f in frames] == [1, 2, 0, 1], frames
assert frames[0]["func"] == "runtime.schedinit", frames[0]
info = named(ev, "frame_info")[0]
at = [int(x, 16) for l in gdb for x in re.findall(r"frame at (0x[0-9a-f]+)", l)]
# gdb: "Stack level 1, frame at CFA1:", "called by frame at 0x0" (the
# outermost frame's id), "caller of frame at CFA0"
assert hexint(info["cfa"]) == at[0], (info, at)
assert hexint(info["callee_cfa"]) == at[2], (info, at)
assert info["how"] == "cfi" and info["level"] == 1, info
saved = {s["reg"]: hexint(s["addr"]) for s in info["saved"]}
assert saved["rip"] == at[0] - 8, saved
PY

# The selection ends at the next stop: $pc is the thread's again.
bs_json -ex 'break runtime.procresize' -ex run -ex 'frame 2' -ex stepi -ex 'p/x $pc' \
	-ex 'frame' "$HELLO" || fail "frame then stepi: $(cat "$TMP/err.txt")"
python3 - "$TMP/out.jsonl" <<'PY' || fail "a stop does not reset the selected frame"
import sys
from events import hexint, last, load
ev = load(sys.argv[1])
assert hexint(last(ev, "print")["hex"]) == hexint(last(ev, "stop")["pc"])
assert last(ev, "frame")["level"] == 0
PY

# A recorded state unwinds as the live one: the same frames in a replay,
# also at a step back in history.
bs_json --record "$TMP/rec" -ex 'break runtime.procresize' -ex run -ex 'stepi 3' -ex bt \
	-ex 'reverse-stepi 2' -ex bt "$HELLO" || fail "record: $(cat "$TMP/err.txt")"
cp "$TMP/out.jsonl" "$TMP/live.jsonl"
bs_json --replay "$TMP/rec" -ex bt -ex 'reverse-stepi 2' -ex bt || fail "replay: $(cat "$TMP/err.txt")"
python3 - "$TMP/live.jsonl" "$TMP/out.jsonl" <<'PY' || fail "the replay's frames differ from the live ones"
import sys
from events import load, named
live, rep = (named(load(p), "backtrace") for p in sys.argv[1:3])
key = lambda bt: [(f["pc"], f["sp"], f["func"]) for f in bt["frames"]]
assert len(live) == 2 and len(rep) == 2, (live, rep)
assert [key(b) for b in live] == [key(b) for b in rep], (live, rep)
assert len(key(live[1])) == 3 and key(live[0]) != key(live[1]), live
PY

# Bad levels and goroutine arguments: one error line each, exit status 1.
for bad in 'frame 99' 'up' 'frame -1' 'goroutine x y' 'goroutine 999 bt' 'goroutine 1 list'; do
	rc=0
	env -u _ "$BOOTSCOPE" --batch -ex 'break runtime.procresize' -ex run -ex 'up 2' \
		-ex "$bad" "$HELLO" >"$TMP/out.txt" 2>"$TMP/err.txt" || rc=$?
	[ "$rc" -eq 1 ] || fail "'$bad': exit status $rc"
	[ "$(wc -l <"$TMP/err.txt")" -eq 1 ] || fail "'$bad': not one error line: $(cat "$TMP/err.txt")"
done
env -u _ "$BOOTSCOPE" --batch -ex 'break runtime.procresize' -ex run -ex 'up 2' -ex up \
	"$HELLO" >/dev/null 2>"$TMP/err.txt" || true
grep -qx -- '-ex 4: initial frame selected; you cannot go up' "$TMP/err.txt" ||
	fail "up past the outermost frame: $(cat "$TMP/err.txt")"
env -u _ "$BOOTSCOPE" --batch -ex 'break runtime.procresize' -ex run -ex down \
	"$HELLO" >/dev/null 2>"$TMP/err.txt" || true
grep -qx -- '-ex 3: bottom (innermost) frame selected; you cannot go down' "$TMP/err.txt" ||
	fail "down from frame 0: $(cat "$TMP/err.txt")"

finish
