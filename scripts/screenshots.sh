#!/usr/bin/env bash
# Screenshots of the TUI in a real terminal: xterm on a virtual X server
# (Xvfb), with a dark and a light background, at 80x24, 120x40 and 200x60,
# after a few steps into the boot. PNGs go to DIR (default: screenshots/).
#
#   scripts/screenshots.sh [DIR] [BOOTSCOPE]
#
# Needs Xvfb, xterm, xwd and ImageMagick's convert
# (apt-get install xvfb xterm x11-apps imagemagick); CONVERT names another
# convert.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-screenshots}
bootscope=${2:-$root/build/bootscope}
convert=${CONVERT:-convert}
for tool in Xvfb xterm xwd "$convert"; do
	command -v "$tool" >/dev/null || { echo "screenshots: $tool is not installed" >&2; exit 1; }
done
[[ -x $bootscope ]] || { echo "screenshots: no $bootscope (build first)" >&2; exit 1; }
mkdir -p "$out"

disp=:$((90 + RANDOM % 100))
Xvfb "$disp" -screen 0 2200x1300x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
sleep 1

# shot THEME COLS ROWS: xterm of that size running bootscope, which steps
# itself a little way (-ex) so registers have changed, then the window's
# picture.
shot() {
	local theme=$1 cols=$2 rows=$3 fg bg
	if [[ $theme == light ]]; then fg=black bg=white; else fg=grey90 bg=black; fi
	local name="$out/tui-$theme-${cols}x$rows.png"
	DISPLAY=$disp xterm -geometry "${cols}x$rows+0+0" -fa 'DejaVu Sans Mono' -fs 10 \
		-fg "$fg" -bg "$bg" -xrm 'XTerm*allowWindowOps: true' -T "bootscope-$theme" \
		-e env TERM=xterm-256color "$bootscope" -ex 'break runtime.schedinit' -ex run \
		-ex stepi -ex stepi -ex stepi &
	local xt=$!
	sleep 4
	# a loaded machine may map the window late: try again a few times
	local try
	for try in 1 2 3 4 5; do
		DISPLAY=$disp xwd -name "bootscope-$theme" -silent 2>/dev/null >"$out/.shot.xwd" &&
			[[ -s $out/.shot.xwd ]] && break
		sleep 2
	done
	"$convert" "xwd:$out/.shot.xwd" "$name" || { kill "$xt" 2>/dev/null; return 1; }
	rm -f "$out/.shot.xwd"
	kill "$xt" 2>/dev/null || true
	wait "$xt" 2>/dev/null || true
	echo "$name"
}

for theme in dark light; do
	for size in 80x24 120x40 200x60; do
		shot "$theme" "${size%x*}" "${size#*x}"
	done
done
