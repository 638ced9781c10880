#!/usr/bin/env bash
# A program that dies of SIGSEGV mid-boot (in a callee of main.main):
# bootscope stops with the signal, the faulting address, the pc and the
# stage it happened in — gdb, on the same program, is the witness for the
# address and the pc; continuing delivers the signal and the program dies.
# usage: segv.sh BOOTSCOPE HELLO SEGV
. "$(dirname "$0")/../badinput/lib.sh"
SEGV=$(realpath "${3:?usage: $0 BOOTSCOPE HELLO SEGV}")
skip_without_ptrace

direct=$(sh -c '"$1" >/dev/null 2>&1; echo $?' sh "$SEGV" 2>/dev/null)
[ "$direct" -eq $((128 + 11)) ] || fail "run directly, segv exits $direct, not 139 (SIGSEGV)"

witness=$(gdb_batch "$SEGV" -ex run -ex 'p/x $_siginfo._sifields._sigfault.si_addr' -ex 'p/x $pc')
g_addr=$(printf '%s\n' "$witness" | sed -n 's/^\$1 = //p')
g_pc=$(printf '%s\n' "$witness" | sed -n 's/^\$2 = //p')
[ -n "$g_addr" ] && [ -n "$g_pc" ] || fail "gdb did not report the fault: $witness"

check_stop() { # FILE WHAT: the SIGSEGV stop event, against gdb
	python3 - "$1" "$g_addr" "$g_pc" <<'PY' || fail "$2: $(cat "$1")"
import sys
from events import load, named
ev = load(sys.argv[1])
sig = [e for e in ev if e["event"] == "stop" and e["reason"] == "signal"]
assert len(sig) == 1, sig
s = sig[0]
assert s["signal"] == "SIGSEGV", s["signal"]
assert s["fault_addr"] == sys.argv[2], (s["fault_addr"], sys.argv[2])
assert s["pc"] == sys.argv[3], (s["pc"], sys.argv[3])
assert s["symbol"].startswith("main.crash"), s["symbol"]
assert s["stage"] == "main.main", s["stage"]
dead = named(ev, "signaled")
assert dead and dead[0]["signal"] == "SIGSEGV", dead
PY
}

# a plain run: the stage comes from the calls on the stack
bs 30 --batch --json -ex run -ex continue "$SEGV"
no_crash "run"
expect_rc 1 "run"
check_jsonl "$TMP/out" "run"
check_stop "$TMP/out" "run"

# with stage breakpoints on the way
bs 30 --batch --json -ex 'break schedinit' -ex 'break main.main' -ex run -ex continue \
	-ex continue -ex continue "$SEGV"
expect_rc 1 "breakpoints"
check_stop "$TMP/out" "breakpoints"

# text: one line says it all
bs 30 --batch -ex run "$SEGV"
expect_rc 0 "text"
has "$TMP/out" "Program received signal SIGSEGV (fault address $g_addr), $g_pc in main.crash" "text"
has "$TMP/out" "[stage main.main" "text"

# after the death, process commands fail plainly
bs 30 --batch -ex run -ex continue -ex 'info registers' "$SEGV"
expect_rc 1 "after death"
has "$TMP/err" "-ex 3: the program is not being run" "after death"

finish
