#!/usr/bin/env bash
# The TUI over the bundled hello: it opens at the ELF entry with argc on the
# stack, ] walks the boot stages in catalog order with the stage pane
# following, each stage with an exact instruction count (gdb, stepping the
# same program as often, is the witness that the pc is then at the stage's
# address), the TLS pane shows &runtime.g0 at fs:-8 after the wiring stage
# (nm is the witness), the G/M/P pane shows goid 1 runnable in P0's runnext
# after newproc, g runs back to a stage with the same count, and q leaves
# a sane terminal and no tracee.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

# Oracles: the entry point (readelf), runtime.g0 (nm), the catalog.
entry=$(readelf -h "$HELLO" | awk '/Entry point address/ {print $4}')
g0=$(nm "$HELLO" | awk '$3 == "runtime.g0" {print $1}')
[[ -n $entry && -n $g0 ]] || fail "no entry point or runtime.g0 in $HELLO"
g0=$(printf '%#x' "0x$g0")
mapfile -t stage_lines < <("$BOOTSCOPE" --list-stages --json "$HELLO" |
	python3 -c 'import sys
from events import load, named
for ev in named(load(sys.stdin), "stages"):
    for s in ev["stages"]:
        print(s["name"], s["addr"])')
catalog=()
declare -A addr_of
for l in "${stage_lines[@]}"; do
	catalog+=("${l% *}")
	addr_of[${l% *}]=${l#* }
done
((${#catalog[@]} > 10)) || fail "short stage catalog: ${catalog[*]}"
index_of() {
	local i
	for i in "${!catalog[@]}"; do
		[[ ${catalog[$i]} == "$1" ]] && { echo "$i"; return; }
	done
	echo -1
}

# Three arguments: argc is 3.
tui_start 120 40 "$HELLO" one two
wait_for '\| stage _rt0_amd64_linux \|'
screen >/dev/null
grep -Eq "Code +pc $entry <_rt0_amd64_linux>" "$TMP/screen" ||
	fail "the code pane is not at the entry $entry"
grep -Eq "> $entry +.*jmp" "$TMP/screen" || fail "no pc mark on the entry instruction"
grep -Eq '^> 0x[0-9a-f]+ +0x0000000000000003 +argc' "$TMP/screen" ||
	fail "the stack pane does not show argc = 3 at rsp"
grep -Eq '> +1 _rt0_amd64_linux +@0' "$TMP/screen" ||
	fail "the stage pane does not mark _rt0_amd64_linux as current"
grep -Eq 'fs_base +0x0 +not set yet' "$TMP/screen" ||
	fail "the TLS pane does not say fs_base is not set yet"

# ] through the stages: each stop is a later stage of the catalog, reached
# by single steps, so its count is exact and equals the status line's.
last=0
seen=(_rt0_amd64_linux)
counts=(0)
while :; do
	before=$(status_stage)
	keys ']'
	end=$((SECONDS + 20))
	while [[ $(status_stage) == "$before" ]] && ((SECONDS < end)); do
		sleep 0.05
	done
	stage=$(status_stage)
	i=$(index_of "$stage")
	((i > last)) || fail "] went from ${catalog[$last]} to '$stage' (index $i)"
	n=$((i + 1))
	wait_for "> +$n $stage +@[0-9]+"
	count=$(grab "s/.*> +$n $stage +@([0-9]+).*/\1/p")
	[[ $count == "$(status_steps)" ]] ||
		fail "$stage shows @$count, the status line $(status_line)"
	seen+=("$stage")
	counts+=("$count")
	last=$i
	[[ $stage == rt0_go.wire ]] && {
		# one step executes the store of &g0 to fs:-8
		keys s
		wait_for "fs:-8 +$g0 +g0"
		grep -Eq "fs_base +0x[0-9a-f]+ += &m0.tls\[0\] \+ 8" "$TMP/screen" ||
			fail "the TLS pane does not relate fs_base to m0.tls"
	}
	[[ $stage == runtime.mstart ]] && break
	[[ $stage == runtime.main || $stage == main.main ]] &&
		fail "passed runtime.mstart without stopping there"
done
for want in rt0_go.wire runtime.schedinit runtime.newproc; do
	[[ " ${seen[*]} " == *" $want "* ]] || fail "] never stopped at $want (saw ${seen[*]})"
done

# The witness: gdb single-steps the same program (same arguments and
# environment) as many instructions as each count says, and must then be
# at that stage's address. The walk stays in the one-thread part of the
# boot, where both count the same instructions.
if command -v gdb >/dev/null; then
	gdb_args=(-nx -batch -ex 'set startup-with-shell off'
		-ex 'unset environment LINES' -ex 'unset environment COLUMNS'
		-ex "source $(cd "$(dirname "$0")/.." && pwd)/gdb_stepi.py"
		-ex starti -ex 'p/x $pc')
	prev=0
	for k in "${!seen[@]}"; do
		((k == 0)) && continue
		d=$((counts[k] - prev))
		((d > 0)) || fail "${seen[$k]} at @${counts[$k]}, not after @$prev"
		gdb_args+=(-ex "stepi-exact $d" -ex 'p/x $pc')
		prev=${counts[$k]}
	done
	mapfile -t pcs < <(env -i TERM=screen gdb "${gdb_args[@]}" --args "$HELLO" one two 2>&1 |
		sed -nE 's/^\$[0-9]+ = (0x[0-9a-f]+)$/\1/p')
	((${#pcs[@]} == ${#seen[@]})) || fail "gdb printed ${#pcs[@]} pcs for ${#seen[@]} stages: ${pcs[*]}"
	for k in "${!seen[@]}"; do
		[[ ${pcs[$k]} == "${addr_of[${seen[$k]}]}" ]] ||
			fail "gdb after ${counts[$k]} steps is at ${pcs[$k]}, not ${seen[$k]} (${addr_of[${seen[$k]}]})"
	done
	echo "gdb agrees on ${#seen[@]} stage counts (last: ${seen[-1]} @${counts[-1]})"
else
	echo "no gdb: stage counts not witnessed"
fi

# newproc has run: goid 1 is runnable and sits in P0's runnext.
wait_for 'p0 +0 +_Prunning +m0 +g1 '
grep -Eq 'g1 +1 _Grunnable' "$TMP/screen" || fail "no runnable g1 in the G/M/P pane"

# g back to runtime.schedinit: the chooser opens on the stage after the
# current one; the run restarts and single-steps there, so the count is
# exact and the one ] found.
want=runtime.schedinit
for k in "${!seen[@]}"; do [[ ${seen[$k]} == "$want" ]] && want_count=${counts[$k]}; done
keys g
wait_for 'Run to stage'
for ((i = $(index_of runtime.mstart) + 1; i > $(index_of "$want"); i--)); do keys Up; done
# the picker's > marks its selection, the row Enter runs to
n=$(($(index_of "$want") + 1))
wait_for ">[ *+] +$n $want "
[[ $(grep -c '^ *│\? *>[ *+] \+[0-9]\+ ' "$TMP/screen" || true) -le 1 ]] ||
	fail "the picker marks more than one row with >"
keys Enter
wait_for "\\| stage $want \\|"
wait_for "> +$n $want +@$want_count "
[[ $(status_steps) == "$want_count" ]] ||
	fail "g to $want: status $(status_line), ] found @$want_count"
grep -Eq 'runtime.mstart +@' "$TMP/screen" && fail "the restart kept runtime.mstart reached"


tui_quit
echo "walked: ${seen[*]}"
