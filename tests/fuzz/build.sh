#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang (meson builds the project with
# its own C compiler, so these are custom targets).
#   build.sh lib CLANG OUT DEPFILE SRCROOT SOURCES...  instrumented archive
#   build.sh bin CLANG OUT DEPFILE SRCROOT HELLO HARNESS ARCHIVE
set -euo pipefail

mode=$1 clang=$2 out=$3 depfile=$4 srcroot=$5
shift 5
deps="capstone libelf libdw"
deflate=0
if pkg-config --exists libdeflate; then
	deps="$deps libdeflate"
	deflate=1
fi
flags=(-g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -DBOOTSCOPE_HAVE_LIBDEFLATE=$deflate
       -fsanitize=address,undefined -fno-sanitize-recover=undefined
       -iquote "$srcroot/debugger" -iquote "$srcroot/interp" -iquote "$srcroot/ui")
read -r -a pkg_cflags <<<"$(pkg-config --cflags $deps)"
read -r -a pkg_libs <<<"$(pkg-config --libs $deps)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case $mode in
lib)
	objs=() pids=() failed=0
	for src in "$@"; do
		obj=$tmp/$(basename "$src" .c).o
		"$clang" "${flags[@]}" -fsanitize=fuzzer-no-link "${pkg_cflags[@]}" \
			-MD -MF "$obj.d" -c "$src" -o "$obj" &
		objs+=("$obj")
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
	[ "$failed" -eq 0 ]
	rm -f "$out"
	ar rcs "$out" "${objs[@]}"
	;;
bin)
	hello=$1 harness=$2 archive=$3
	"$clang" "${flags[@]}" -fsanitize=fuzzer "${pkg_cflags[@]}" \
		-DFUZZ_HELLO="\"$hello\"" -MD -MF "$tmp/h.d" \
		"$harness" "$archive" -o "$out" "${pkg_libs[@]}"
	;;
*)
	echo "build.sh: unknown mode $mode" >&2
	exit 2
	;;
esac

# One depfile for ninja: every header any object included.
{
	printf '%s:' "$out"
	cat "$tmp"/*.d | sed -e 's/^[^:]*://' -e 's/\\$//' | tr -s ' \n' '  '
	echo
} >"$depfile"
