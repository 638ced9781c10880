#!/usr/bin/env bash
# The command line: usage errors (2), script and command errors (1) with
# their FILE:LINE: / -ex N: locations, false expects, the program-not-run
# rule, bad ELF files, line mode, --help/--version, the default program.
. "$(dirname "$0")/lib.sh"
VERSION=${3:?usage: $0 BOOTSCOPE HELLO VERSION}

# run CMD... : status in $rc, stdout in $out, stderr in $err
run() {
	rc=0
	env -u _ "$@" >"$TMP/o" 2>"$TMP/e" || rc=$?
	out=$(cat "$TMP/o")
	err=$(cat "$TMP/e")
}
expect_rc() { # want what
	[ "$rc" -eq "$1" ] || fail "$2: exit $rc, want $1 (stdout: $out; stderr: $err)"
}
has() { # haystack needle what
	grep -qF -- "$2" <<<"$1" || fail "$3: '$2' not in: $1"
}
lacks() {
	if grep -qF -- "$2" <<<"$1"; then fail "$3: '$2' should not be in: $1"; fi
}

# ---- usage errors: exit 2, one line, a hint to --help --------------------
run "$BOOTSCOPE" --bogus
expect_rc 2 "unknown option"
has "$err" "unknown option '--bogus'" "unknown option"
has "$err" "--help" "hint"
[ "$(wc -l <<<"$err")" -eq 1 ] || fail "usage error is not one line: $err"
run "$BOOTSCOPE" --batch -ex
expect_rc 2 "-ex without a command"
has "$err" "-ex needs a command" "-ex without a command"
run "$BOOTSCOPE" --json -x
expect_rc 2 "-x without a file"
run "$BOOTSCOPE" --list-stages -ex 'info regs'
expect_rc 2 "--list-stages with -ex"

run "$BOOTSCOPE" --help
expect_rc 0 "--help"
has "$out" "Usage: bootscope [OPTIONS] [--] [PROGRAM [ARGS...]]" "--help"
run "$BOOTSCOPE" --version
expect_rc 0 "--version"
[ "$out" = "bootscope $VERSION" ] || fail "--version printed '$out', want 'bootscope $VERSION'"

# ---- files that are not programs: exit 1 ----------------------------------
run "$BOOTSCOPE" --batch "$TMP/missing"
expect_rc 1 "missing program"
has "$err" "$TMP/missing" "missing program is named"
run "$BOOTSCOPE" --batch /etc/passwd
expect_rc 1 "not an ELF file"
run "$BOOTSCOPE" --batch "$TMP"
expect_rc 1 "a directory"
run "$BOOTSCOPE" --batch --json /etc/passwd
expect_rc 1 "not an ELF file (json)"
python3 -c 'import json,sys; e=json.loads(sys.argv[1]); assert e["event"]=="error" and "/etc/passwd" in e["message"], e' "$out" \
	|| fail "bad ELF in --json mode is not an error event: $out"

skip_without_ptrace

# ---- script errors: FILE:LINE:, the rest of the script is not run ---------
# (as in gdb: the error ends that script; the -ex commands still run)
printf 'echo first\\n\n# a comment\n\nfrobnicate now\necho notreached\\n\n' >"$TMP/s.gdb"
run "$BOOTSCOPE" --batch -x "$TMP/s.gdb" -ex 'echo ex-reached\n' "$HELLO"
expect_rc 1 "bad command in a script"
has "$err" "$TMP/s.gdb:4: undefined command 'frobnicate'; try help" "script error location"
has "$out" "first" "script ran up to the error"
lacks "$out" "notreached" "script stopped at the error"
has "$out" "ex-reached" "the -ex commands run after a failed script"

run "$BOOTSCOPE" --batch --json -x "$TMP/s.gdb" "$HELLO"
expect_rc 1 "bad command in a script (json)"
python3 - "$out" "$TMP/s.gdb" <<'PY' || fail "script error event: $out"
import sys
from events import parse
ev = parse(sys.argv[1])
err = ev[-1]
assert err["event"] == "error", ev
assert err["file"] == sys.argv[2] and err["line"] == 4, err
assert err["message"] == "undefined command 'frobnicate'; try help", err
PY

run "$BOOTSCOPE" --batch -x "$TMP/nonexistent.gdb" "$HELLO"
expect_rc 1 "missing script"
has "$err" "cannot open script $TMP/nonexistent.gdb: no such file or directory" "missing script"

# Scripts run before -ex commands, in order.
printf 'echo one\\n\n' >"$TMP/a.gdb"
printf 'echo two\\n\n' >"$TMP/b.gdb"
run "$BOOTSCOPE" --batch -ex 'echo three\n' -x "$TMP/a.gdb" --script "$TMP/b.gdb" "$HELLO"
expect_rc 0 "scripts and -ex"
[ "$out" = $'one\ntwo\nthree' ] || fail "order of scripts and -ex: $out"

# ---- -ex errors: -ex N: ---------------------------------------------------
run "$BOOTSCOPE" --batch -ex 'echo x\n' -ex 'break nosuch_symbol' -ex 'echo reached\n' "$HELLO"
expect_rc 1 "unknown location"
has "$err" "-ex 2: no stage or symbol 'nosuch_symbol'" "-ex location"
has "$out" "reached" "the next -ex runs after an error (as in gdb)"
run "$BOOTSCOPE" --batch -ex 'break schedinti' "$HELLO"
expect_rc 1 "misspelt stage"
has "$err" "did you mean runtime.schedinit" "nearest stage names"
run "$BOOTSCOPE" --batch -ex 'si abc' "$HELLO"
expect_rc 1 "bad count"
has "$err" "-ex 1: invalid count 'abc' for stepi" "bad count"
run "$BOOTSCOPE" --batch -ex 'x/2gx 0' "$HELLO"
expect_rc 1 "unmapped address"
has "$err" "-ex 1: cannot read memory at 0x0" "unmapped address"

# ---- a false expect reports and goes on; the status becomes 1 -------------
run "$BOOTSCOPE" --batch -ex 'expect 1 + 1 == 2' -ex 'expect $rsp == 0' -ex 'echo after\n' "$HELLO"
expect_rc 1 "false expect"
has "$out" "after" "the script goes on after a false expect"
has "$out" "-ex 2: expect failed: \$rsp == 0: \$rsp is 0x" "false expect report"
has "$out" "0 is 0x0 (0)" "false expect shows the other side"
run "$BOOTSCOPE" --batch --json -ex 'expect *$rsp == 1' -ex 'expect *$rsp == 7' "$HELLO"
expect_rc 1 "false expect (json)"
python3 - "$out" <<'PY' || fail "expect events: $out"
import sys
from events import named, parse
ev = parse(sys.argv[1])
ok, bad = named(ev, "expect")
assert ok["ok"] is True and ok["value"] == 1 and ok["line"] == 1, ok
# at the entry point *$rsp is argc, which is 1
assert bad["ok"] is False and bad["file"] == "-ex" and bad["line"] == 2, bad
assert bad["lhs"] == {"expr": "*$rsp", "value": 1, "hex": "0x1"}, bad
assert bad["rhs"]["value"] == 7 and bad["op"] == "==", bad
PY

# ---- after the end, process commands fail ---------------------------------
run "$BOOTSCOPE" --batch -ex run -ex 'info registers' "$HELLO"
expect_rc 1 "registers after the end"
has "$out" "Program exited with code 0." "run to the end"
has "$err" "-ex 2: the program is not being run" "not being run"
run "$BOOTSCOPE" --batch -ex run -ex 'stepi' "$HELLO"
expect_rc 1 "stepi after the end"
has "$err" "the program is not being run" "stepi after the end"
# ...and run starts it again.
run "$BOOTSCOPE" --batch -ex run -ex 'starti' -ex 'expect $fs_base == 0' "$HELLO"
expect_rc 0 "restart after the end"

# ---- implicit start --------------------------------------------------------
run "$BOOTSCOPE" --batch -ex 'si 3' -ex 'info regs' "$HELLO"
expect_rc 0 "implicit start"
has "$out" "rip " "registers printed"

# ---- --keep-aslr: the stack moves between runs only with it ---------------
sp() { env -u _ "$BOOTSCOPE" --batch "$@" -ex 'p/x $rsp' "$HELLO"; }
[ "$(sp)" = "$(sp)" ] || fail "without --keep-aslr the stack moved"
[ "$(sp --keep-aslr)" != "$(sp --keep-aslr)" ] || fail "with --keep-aslr the stack stayed"

# ---- line mode: errors do not end the session, the status says them --------
rc=0
out=$(printf 'p *0\np 1 + 1\nexpect 2 > 1\nquit\necho notreached\n' | env -u _ "$BOOTSCOPE" "$HELLO" 2>"$TMP/e") || rc=$?
err=$(cat "$TMP/e")
expect_rc 1 "line mode with a failed command"
has "$err" "cannot read memory at 0x0" "line mode error"
has "$out" "\$1 = 2" "line mode goes on after an error"
lacks "$out" "notreached" "quit ends line mode"

# ---- the default program and --list-stages --------------------------------
bindir=$(dirname "$BOOTSCOPE")
if [ -x "$bindir/target-runtime/hello" ]; then
	run "$BOOTSCOPE" --list-stages
	expect_rc 0 "--list-stages without PROGRAM"
	want=$(printf '0x%x' "0x$(nm "$bindir/target-runtime/hello" | awk '$3 == "runtime.schedinit" { print $1 }')")
	grep -Eq "runtime\.schedinit +$want " <<<"$out" || fail "--list-stages: schedinit not at $want: $out"
fi
run "$BOOTSCOPE" --list-stages --json "$HELLO"
expect_rc 0 "--list-stages --json"
python3 - "$out" "$HELLO" "$(readelf -h "$HELLO" | awk '/Entry point/ { print $4 }')" <<'PY' || fail "--list-stages against nm"
import json, sys
from events import Checks, hexint, nm_symbols
ev = json.loads(sys.argv[1])
syms = nm_symbols(sys.argv[2])
entry = hexint(sys.argv[3])
stages = ev["stages"]
assert ev["event"] == "stages" and len(stages) >= 15, ev
assert [s["index"] for s in stages] == list(range(len(stages)))
assert stages[0]["name"] == "_rt0_amd64_linux" and hexint(stages[0]["addr"]) == entry, stages[0]
check = Checks("stage mismatch: ")
for s in stages:
    name = s["name"]
    if name.startswith("rt0_go."):
        # sub-stages lie inside rt0_go
        start = syms["runtime.rt0_go"]
        if not start < hexint(s["addr"]) < start + 0x400:
            check.fail(s)
        continue
    want = syms.get(name, syms.get(name + ".abi0"))
    if want is None and name == "runtime.findRunnable":
        want = syms.get("runtime.findrunnable")
    if want != hexint(s["addr"]):
        check.fail((name, s["addr"], want))
    if s["reached"] or s["steps"] is not None:
        check.fail(("reached without a process", name))
sys.exit(check.report())
PY

finish
