#!/usr/bin/env bash
# --lab from the build tree: where the lab files are found, the lab's
# #@program, arguments and #@env reaching the target, PROGRAM replacing the
# lab's program, --lab usage errors, and a copy of the binary outside the
# build tree not reading the source tree.
#
#   lab_launch.sh BOOTSCOPE SOURCE_LABS_DIR
. "$(dirname "$0")/../common.sh"

BOOTSCOPE=$(realpath "${1:?usage: $0 BOOTSCOPE SOURCE_LABS}")
SRC_LABS=$(realpath "${2:?usage: $0 BOOTSCOPE SOURCE_LABS}")
BUILD_DIR=$(dirname "$BOOTSCOPE")
HELLO=$BUILD_DIR/target-runtime/hello
# run ARGS...: status in $rc, stdout in $out, stderr in $err (from /)
run() {
	rc=0
	(cd / && env -u BOOTSCOPE_LABS "$@") >"$TMP/o" 2>"$TMP/e" || rc=$?
	out=$(cat "$TMP/o")
	err=$(cat "$TMP/e")
}
want_rc() { # status what
	[ "$rc" -eq "$1" ] || fail "$2: exit $rc, want $1 (stdout: $out; stderr: $err)"
}
has() { # haystack needle what
	grep -qF -- "$2" <<<"$1" || fail "$3: '$2' not in: $1"
}

# ---- usage errors: exit 2 ------------------------------------------------
for args in "--lab" "--lab x" "--lab -1" "--report junit" "--report csv f" "--student x" "--lab 1x" "--lab=" \
	"--lab 1 -ex info" "--lab 1 -x /dev/null" "--lab list --list-stages" \
	"--lab list $HELLO"; do
	# shellcheck disable=SC2086
	run "$BOOTSCOPE" --batch $args
	want_rc 2 "bootscope --batch $args"
	[ "$(wc -l <<<"$err")" -eq 1 ] || fail "$args: usage error is not one line: $err"
done

# ---- the build-tree binary reads the source tree's labs ------------------
run "$BOOTSCOPE" --json --lab list
want_rc 0 "--lab list"
dir=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["dir"])' "$out")
[ "$(realpath "$dir")" = "$SRC_LABS" ] || fail "--lab list read $dir, want $SRC_LABS"
want=$(cd "$SRC_LABS" && ls [0-9][0-9]-*.bs | sed 's/-.*//; s/^0*//' | sort -n | tr '\n' ' ')
run "$BOOTSCOPE" --lab list
got=$(awk '{ print $1 }' <<<"$out" | tr '\n' ' ')
[ "$got" = "$want" ] || fail "--lab list numbers '$got', want the files' '$want'"
while read -r n title; do
	f=$(ls "$SRC_LABS"/"$(printf '%02d' "$n")"-*.bs)
	t=$(sed -n 's/^#@lab [0-9]* //p' "$f")
	[ "$title" = "$t" ] || fail "--lab list: lab $n is '$title', $f says '$t'"
done <<<"$out"

# ---- a lab that cannot run: exit 3, a lab_summary last ----------------------
for n in 0 99; do
	run "$BOOTSCOPE" --batch --lab $n
	want_rc 3 "--lab $n"
	has "$err" "no lab $n in" "--lab $n"
	has "$(tail -1 <<<"$out")" "lab $n: could not run" "--lab $n: the summary is last"
	run "$BOOTSCOPE" --batch --json --lab $n
	want_rc 3 "--json --lab $n"
	python3 - "$out" "$n" <<'PY' || fail "--json --lab $n: events $out"
import json, sys
ev = [json.loads(l) for l in sys.argv[1].splitlines()]
n = int(sys.argv[2])
assert [e["event"] for e in ev] == ["lab_start", "error", "lab_summary"], ev
assert ev[0]["lab"] == n and ev[0]["title"] is None, ev[0]
s = ev[-1]
assert (s["lab"], s["ran"], s["status"], s["checks"]) == (n, False, 3, 0), s
PY
done

# Without --batch: a lab pane needs the TUI and a terminal; here stdout is
# a file, so bootscope must say why and fail.
run "$BOOTSCOPE" --lab 1
want_rc 1 "--lab 1 without --batch or a terminal"
has "$err" "lab pane" "--lab 1 without --batch"
has "$err" "--batch --lab 1" "--lab 1 without --batch suggests the batch form"

# ---- skip without ptrace ---------------------------------------------------
ptrace_probe "$BOOTSCOPE" --batch -ex starti "$HELLO" || fail "bootscope cannot start hello"

# ---- a lab's program, arguments and environment ------------------------
mkdir "$TMP/labs"
# argv[1] starts with "one": its first three bytes, little-endian.
cat >"$TMP/labs/01-launch.bs" <<'EOF'
#@lab 1 Program, arguments and environment
#@program hello one two
#@env GOMAXPROCS=3

#@step The arguments
starti
expect *$rsp == 3
expect *$rsp < 3 || (*(*($rsp + 16)) & 0xffffff) == 0x656e6f

#@step The environment
break runtime.procresize
continue
expect $edi == 3
EOF
cat >"$TMP/labs/02-pingpong.bs" <<'EOF'
#@lab 2 Another bundled program
#@program pingpong 3

#@step pingpong's own symbols
starti
expect *$rsp == 2
expect main.player != 0
EOF
export BOOTSCOPE_LABS=$TMP/labs
rc=0
(cd / && "$BOOTSCOPE" --batch --json --lab 1) >"$TMP/o" 2>"$TMP/e" || rc=$?
want_rc 0 "the launch lab"
python3 - "$TMP/o" <<'PY' || fail "the launch lab: $(cat "$TMP/o")"
import sys
from events import load, named
ev = load(sys.argv[1])
checks = [(e["line"], e["pass"], e["actual"]) for e in named(ev, "check")]
assert checks == [(7, True, 3), (8, True, True), (13, True, 3)], checks
assert isinstance(ev[-1].pop("duration_ms"), int), ev[-1]
assert ev[-1] == {"event": "lab_summary", "lab": 1,
                  "title": "Program, arguments and environment",
                  "checks": 3, "passed": 3, "skipped": 0, "failed": 0,
                  "answers": 0, "answers_right": 0, "ran": True, "status": 0, "student": None}, ev[-1]
PY
rc=0
(cd / && "$BOOTSCOPE" --batch --json --lab 2) >"$TMP/o" 2>"$TMP/e" || rc=$?
want_rc 0 "the pingpong lab"
grep -q '"passed":2,"skipped":0,"failed":0' "$TMP/o" || fail "the pingpong lab: $(cat "$TMP/o")"

# PROGRAM replaces the lab's program and arguments; #@env still applies.
rc=0
(cd / && "$BOOTSCOPE" --batch --json --lab 1 "$HELLO") >"$TMP/o" 2>"$TMP/e" || rc=$?
want_rc 1 "the launch lab with PROGRAM"
python3 - "$TMP/o" <<'PY' || fail "the launch lab with PROGRAM: $(cat "$TMP/o")"
import sys
from events import load, named
ev = load(sys.argv[1])
checks = {e["line"]: (e["pass"], e["expected"], e["actual"]) for e in named(ev, "check")}
assert checks[7] == (False, 3, 1), checks   # argc: only PROGRAM
assert checks[13] == (True, 3, 3), checks   # GOMAXPROCS from #@env
assert checks[8][0] is True, checks        # argv[1] is not read
assert ev[-1]["passed"] == 2 and ev[-1]["failed"] == 1, ev[-1]
PY
unset BOOTSCOPE_LABS

# ---- a copy outside the build tree never reads the source tree -----------
mkdir "$TMP/bin"
cp "$BOOTSCOPE" "$TMP/bin/bootscope"
run "$TMP/bin/bootscope" --lab list
want_rc 1 "a copied binary: --lab list"
has "$err" "cannot find the lab files" "a copied binary: --lab list"
run "$TMP/bin/bootscope" --batch -ex 'info sections'
want_rc 1 "a copied binary without PROGRAM"
has "$err" "cannot find the bundled program hello" "a copied binary without PROGRAM"
# ... but finds programs beside it as a build tree lays them out.
mkdir "$TMP/bin/target-runtime"
cp "$HELLO" "$TMP/bin/target-runtime/hello"
run "$TMP/bin/bootscope" --batch --json -ex starti -ex 'x/s *($rsp + 8)'
want_rc 0 "a copied binary with target-runtime/hello beside it"
has "$out" "\"string\":\"$TMP/bin/target-runtime/hello\"" "argv[0] is the hello beside it"

finish
