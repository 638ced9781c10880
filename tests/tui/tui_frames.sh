#!/usr/bin/env bash
# The Frames pane: at runtime.procresize it lists the call stack the
# interpreter's `backtrace --json` gives (pc and function of each frame),
# frame 0 selected; `:up 2` moves the selection to the outermost frame
# (runtime.rt0_go) and the title says so; a step selects frame 0 again.
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$1" "$2"
skip_without_ptrace

# Frames rows: "#N 0xPC FUNC+0xOFF", the selected one marked '>'.
frames() {
	screen | sed -nE 's/^(>| )#([0-9]+) +(0x[0-9a-f]+) ([^ │]+).*/\1\2 \3 \4/p' | sed 's/^ /-/'
}

want=$(env -i TERM=screen "$BOOTSCOPE" --batch --json -ex 'break runtime.procresize' -ex run \
	-ex bt "$HELLO" | python3 -c 'import sys
from events import last, load
bt = last(load(sys.stdin), "backtrace")
for f in bt["frames"]:
    print("%s%d %#x %s+%#x" % (">" if f["level"] == 0 else "-", f["level"], int(f["pc"], 16),
                              f["func"], f["offset"]))' | sed 's/+0x0$/+0/')
[[ $(wc -l <<<"$want") == 3 ]] || fail "the batch backtrace: $want"

tui_start 120 40 "$HELLO"
wait_for '\| stage _rt0_amd64_linux \|'
wait_for '^ Frames +1, frame 0 selected'
keys : 'break runtime.procresize' Enter
wait_for 'Breakpoint 1 at 0x[0-9a-f]+: runtime.procresize'
keys : continue Enter
wait_for 'Frames +3, frame 0 selected' 30
got=$(frames)
[[ $got == "$want" ]] || fail "the Frames pane shows:
$got
the batch backtrace:
$want"

keys : 'up 2' Enter
wait_for 'Frames +3, frame 2 selected'
frames | grep -q '^>2 .* runtime\.rt0_go+' || fail "frame 2 not marked: $(frames)"
keys s
wait_for 'Frames +3, frame 0 selected'
frames | grep -q '^>0 .* runtime\.procresize+' || fail "frame 0 not marked after a step: $(frames)"

tui_quit
finish
