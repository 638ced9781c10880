#!/usr/bin/env bash
# Every pane describes the same thread: after `:thread TID` the status line
# names that thread and the function its pc is in (the code pane's), the
# registers mark nothing changed (a switch changes no register), the stack
# title's rsp is that thread's and names its M's g0 stack, not m0's; back
# on the first thread the same. Before mcommoninit (runtime.check) the
# thread row says m0 as the TLS pane's g.m does, not "no M".
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

THREAD_RE='^(.*x)?(\*| ) +([0-9]+) +(m[0-9]+|-) +(0x[0-9a-f]+|0) +([^ ]+) '
tui_start 200 60 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys : 'break main.main' Enter
wait_for 'Breakpoint 1 at 0x[0-9a-f]+: main.main'
keys : continue Enter
wait_for '\| stage main.main \|' 30
wait_for 'G/M/P .* 2 threads'
pid=$(status_pid)
screen >/dev/null
tid0=$(sed -nE "s/$THREAD_RE.*/\3 \4/p" "$TMP/screen" | awk '$2 == "m0" {print $1}')
tid1=$(sed -nE "s/$THREAD_RE.*/\3 \4/p" "$TMP/screen" | awk '$2 == "m1" {print $1}')
[[ -n $tid0 && -n $tid1 ]] || fail "no m0 and m1 thread rows"
[[ -d /proc/$pid/task/$tid1 ]] || fail "thread $tid1 is not a task of $pid"
grep -Eq "\| main\.main \| thread $tid0 m0 *$" "$TMP/screen" ||
	fail "the status line does not name thread $tid0 (m0) at main.main"

check_thread() { # TID M
	local tid=$1 m=$2
	wait_for "\| thread $tid $m *\$"
	screen >/dev/null
	local status code rsp stack
	status=$(grep -E "\| thread $tid $m *\$" "$TMP/screen")
	# the function is the code pane's: its title's <symbol>
	code=$(sed -nE 's/^>?.Code  pc 0x[0-9a-f]+ <([^>]+)>.*/\1/p' "$TMP/screen" | head -n 1)
	[[ -n $code && $status == *"| $code | thread $tid $m"* ]] ||
		fail "status '$status' is not at the code pane's $code"
	grep -q 'Registers  changed:' "$TMP/screen" && fail "a thread switch marks registers changed"
	rsp=$(grep -oE 'rsp 0x[0-9a-f]{16}' "$TMP/screen" | head -n 1 | sed -E 's/rsp 0x0*/0x/')
	stack=$(grep -oE ' Stack  rsp 0x[0-9a-f]+ ' "$TMP/screen" | awk '{print $3}')
	[[ $stack == "$rsp" ]] || fail "stack title rsp $stack, registers rsp $rsp"
	if [[ $m == m1 ]]; then
		grep -Eq ' Stack  rsp 0x[0-9a-f]+ +(in )?m1\.g0 stack' "$TMP/screen" ||
			fail "m1's stack title does not name m1.g0's stack"
	fi
	true
}
keys : "thread $tid1" Enter
wait_for "\\[Current thread is $tid1\\]"
check_thread "$tid1" m1
keys : "thread $tid0" Enter
wait_for "\\[Current thread is $tid0\\]"
check_thread "$tid0" m0
tui_quit

# before mcommoninit: m0 is not on allm yet, g0.m is &m0 (TLS pane)
tui_start 200 60 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
keys : 'break runtime.check' Enter
wait_for 'Breakpoint 1 at'
keys : continue Enter
wait_for '\| stage runtime\.check \|' 30
wait_for 'g\.m +0x[0-9a-f]+ +m0'
screen >/dev/null
row=$(grep -E '^(.*x)?\* +[0-9]+ ' "$TMP/screen" | tail -n 1)
[[ $row =~ \*\ +[0-9]+\ +m0\  ]] || fail "the thread row does not say m0: $row"
[[ $row == *"no M"* ]] && fail "the thread row says no M while g.m is m0: $row"
tui_quit
echo "ok: status, registers and stack follow :thread; the thread row and TLS agree on m0"
