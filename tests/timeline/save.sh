#!/usr/bin/env bash
# Saving a recording: --record to a path that cannot be written fails at
# the start, before the session runs; two sessions saving to one path at
# the same time leave one whole recording and no temporary file; a SIGTERM
# while the temporary file exists leaves no temporary file either.
. "$(dirname "$0")/lib.sh"
skip_without_ptrace

loads() { # file: prints the recording's last step, fails when it does not load
	"${PIN[@]}" env -i PATH="$PATH" "$BOOTSCOPE" --batch --json --replay "$1" -ex 'info record' \
		2>&1 | python3 -c '
import sys
from events import last, load
print(last(load(sys.stdin), "record")["last"])'
}
temps() { # the temporary files left next to $1
	compgen -G "$1*.tmp" || true
}

# --record where nothing can be written: one line, exit 1, nothing run
touch "$TMP/afile"
mkdir "$TMP/adir"
for p in "$TMP/missing/boot.bstl:no such file or directory" "$TMP/afile/boot.bstl:not a directory" \
	"$TMP/adir:is a directory"; do
	path=${p%%:*} why=${p#*:} rc=0
	timeout 60 "${PIN[@]}" env -i PATH="$PATH" "$BOOTSCOPE" --batch --record "$path" \
		-ex 'stepi 3' -ex 'info registers rip' "$HELLO" >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
	[ "$rc" -eq 1 ] || fail "$path: exit status $rc, want 1"
	[ "$(cat "$TMP/err")" = "bootscope: cannot save the recording $path: $why" ] ||
		fail "$path: '$(cat "$TMP/err")'"
	[ ! -s "$TMP/out" ] || fail "$path: the session ran before the failure: $(head -3 "$TMP/out")"
done

# Two sessions save to one path at once, 6 times: recordings of 1500 and
# 2500 steps, each saved whole or not at all. Under strace every write(2)
# waits 1 s, so both temporary files are open together (with one fixed
# name, the two wrote into one file).
# (LeakSanitizer cannot work under strace: an ASan build leaves it off.)
slow=()
if command -v strace >/dev/null; then
	slow=(strace -qq -o /dev/null -e trace=write -e inject=write:delay_enter=1000000)
fi
REC=$TMP/race/boot.bstl
mkdir "$TMP/race"
for round in $(seq 6); do
	rm -f "$REC"
	pids=()
	for n in 1500 2500; do
		timeout 120 "${slow[@]}" "${PIN[@]}" env -i PATH="$PATH" ASAN_OPTIONS=detect_leaks=0 "$BOOTSCOPE" --batch \
			--record "$REC" -ex "stepi $n" "$HELLO" >/dev/null 2>"$TMP/race.$n.err" </dev/null &
		pids+=($!)
	done
	for i in 0 1; do
		wait "${pids[$i]}" || fail "round $round: session $i failed: $(cat "$TMP"/race.*.err)"
	done
	last=$(loads "$REC") || { fail "round $round: the recording does not load: $last"; continue; }
	case $last in
	1500|2500) ;;
	*) fail "round $round: the recording holds $last steps, not 1500 or 2500" ;;
	esac
	[ -z "$(temps "$REC")" ] || fail "round $round: temporary files left: $(temps "$REC")"
done

# SIGTERM while the recording is being written: every write(2) waits 2 s
# under strace, so the temporary file is there when the signal comes.
if command -v strace >/dev/null; then
	REC=$TMP/kill/boot.bstl
	mkdir "$TMP/kill"
	strace -qq -o /dev/null -e trace=write -e inject=write:delay_enter=2000000 \
		sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$TMP/kill/pid" \
		"${PIN[@]}" env -i PATH="$PATH" ASAN_OPTIONS=detect_leaks=0 "$BOOTSCOPE" --batch \
		--record "$REC" -ex 'stepi 2000' "$HELLO" \
		>/dev/null 2>"$TMP/kill.err" </dev/null &
	spid=$!
	seen=
	for _ in $(seq 600); do # 30 s
		[ -n "$(temps "$REC")" ] && { seen=1; break; }
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.05
	done
	if [ -n "$seen" ]; then
		kill -TERM "$(cat "$TMP/kill/pid")"
	else
		fail "kill: no temporary file appeared: $(cat "$TMP/kill.err")"
	fi
	timeout 60 tail --pid="$spid" -f /dev/null || fail "kill: bootscope did not end"
	wait "$spid" || true
	[ -z "$(temps "$REC")" ] || fail "kill: temporary file left: $(temps "$REC")"
	[ ! -e "$REC" ] || last=$(loads "$REC") || fail "kill: the recording does not load: $last"
else
	echo "strace is not installed: the kill during a save is not tried"
fi
finish
