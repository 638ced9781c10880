#!/usr/bin/env bash
# Very long argv and environment: 2000 arguments and 1 MiB of environment
# (16 variables of 64 KiB). The program starts, the entry stack is
# annotated slot by slot (argc, argv[2000], envp[15], the NULLs, auxv), a
# 64 KiB string reads back, the runtime sees argc = 2001, and the program
# runs to its end. The witness is what we passed.
# usage: longargs.sh BOOTSCOPE HELLO
. "$(dirname "$0")/../badinput/lib.sh"
skip_without_ptrace

nargs=2000 nenv=16 envlen=65536
args=()
for i in $(seq "$nargs"); do args+=("arg$i"); done
value=$(head -c "$envlen" /dev/zero | tr '\0' x)
envs=()
for i in $(seq "$nenv"); do envs+=("BIG$i=$value"); done

argc=$((nargs + 1))
RC=0
env -i "${envs[@]}" timeout -k 2 60 "$BOOTSCOPE" --batch --json \
	-ex starti -ex "info stack $((argc + nenv + 4))" \
	-ex "x/s *(\$rsp + 8 * $((argc + 2)))" -ex 'info auxv' \
	-ex 'break main.main' -ex continue -ex 'print runtime.argc' -ex continue \
	"$HELLO" "${args[@]}" >"$TMP/out" 2>"$TMP/err" </dev/null || RC=$?
no_crash "long argv/env"
expect_rc 0 "long argv/env"
check_jsonl "$TMP/out" "long argv/env"
python3 - "$TMP/out" "$argc" "$nenv" "$envlen" <<'PY' || fail "long argv/env: $(head -c 600 "$TMP/out")"
import sys
from events import first, hexint, load, named, output
ev = load(sys.argv[1])
argc, nenv, envlen = map(int, sys.argv[2:5])
slots = first(ev, "stack")["slots"]
what = [s["what"] for s in slots]
assert hexint(slots[0]["value"]) == argc, slots[0]
assert what[0] == "argc"
assert what[1:argc + 1] == [f"argv[{i}]" for i in range(argc)], what[1:4]
assert hexint(slots[argc + 1]["value"]) == 0 and "NULL" in what[argc + 1], slots[argc + 1]
envp = what[argc + 2:argc + 2 + nenv]
assert envp == [f"envp[{i}]" for i in range(nenv)], envp[:3]
assert "NULL" in what[argc + 2 + nenv], what[argc + 2 + nenv]
assert what[argc + 3 + nenv].startswith("auxv"), what[argc + 3 + nenv]
s = first(ev, "x")["items"][0]["string"]
assert s.startswith("BIG1=xxxx") and set(s[5:]) == {"x"}, s[:40]
assert first(ev, "auxv")["argc"] == argc
assert first(ev, "print")["value"] == argc
out = output(ev)
assert f"argc={argc} " in out, out[:200]
assert [e["code"] for e in named(ev, "exited")] == [0]
PY

finish
