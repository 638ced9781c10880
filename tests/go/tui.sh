#!/usr/bin/env bash
# The TUI on a `go build` hello, driven in tmux (tests/tui/lib.sh): all 22
# stages listed; at main.main the TLS / g pane shows g1 at fs:-8 of m0's
# TLS, the G/M/P pane lists the goroutines and sysmon's M with its own g0
# (m1.g0) and no P, and q leaves a clean terminal with the tracee gone.
# With a cgo build whose C code has thread-locals (CGO_TLS): at main.main
# the pane names g's slot where the binary keeps it (below fs:-8), shows g1
# there and says fs_base is libc's thread pointer.
# Usage: tui.sh BOOTSCOPE [GOHELLO [CGO_TLS]]; skips (77) without a Go
# toolchain.
set -euo pipefail
if [[ $# -lt 2 ]]; then
	echo "skip: no Go toolchain: the Go hello was not built"
	exit 77
fi
CGO_TLS=${3:-}
. "$(dirname "$0")/../tui/lib.sh" "$1" "$2"
skip_without_ptrace

tui_start 160 48 "$HELLO"
wait_for 'Stages +[0-9]+ of 22 reached'
main_main=$(nm "$HELLO" | awk '$3 == "main.main" { print $1 }')
[[ -n $main_main ]] || fail "nm: no main.main in $HELLO"

keys :
keys 'break main.main' Enter
wait_for "Breakpoint 1 at 0x${main_main#"${main_main%%[!0]*}"}"
keys c
wait_for '\| stage main\.main \|'
# TLS / g: fs:-8 holds goroutine 1, and fs_base is m0's TLS.
wait_for 'fs:-8 +0x[0-9a-f]+ +g1'
screen | grep -Eq 'fs_base +0x[0-9a-f]+ += &m0\.tls\[0\] \+ 8' ||
	fail "the TLS pane does not place fs_base in m0.tls"
# G/M/P: goroutine 1 running; sysmon's M 1 on its own g0, without a P.
# (pane borders are │ or, with TERM=screen, x)
screen | grep -Eq '[│x]g1 +1 _Grunning' || fail "g1 is not listed as _Grunning"
screen | grep -Eq '[│x]m1\.g0 +0 _Gidle' || fail "m1.g0 is not listed among the Gs"
screen | grep -Eq '[│x]m1 +1 +[0-9]+ +m1\.g0 +- +- ' ||
	fail "M 1 is not listed with its own g0 and no P"
tui_quit

if [[ -n $CGO_TLS ]]; then
	tui_start 160 48 "$CGO_TLS"
	wait_for 'Stages +[0-9]+ of [0-9]+ reached'
	keys :
	keys 'break main.main' Enter
	wait_for 'Breakpoint 1 at'
	keys c
	wait_for '\| stage main\.main \|'
	wait_for 'fs:-0x10 +0x[0-9a-f]+ +g1'
	screen | grep -Eq "fs_base +0x[0-9a-f]+ +libc's thread pointer" ||
		fail "the TLS pane does not say fs_base is libc's in a cgo binary"
	screen | grep -Eq 'g\.m +0x[0-9a-f]+ +m0 +\(g1 _Grunning\)' ||
		fail "the TLS pane does not find g1's M"
	tui_quit
fi
echo "all checks passed"
