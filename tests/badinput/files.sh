#!/usr/bin/env bash
# Bad program files: each is refused with one line naming the file and the
# problem and exit status 1 — in batch text mode, in JSON mode (one error
# event), with --list-stages, and on a terminal before the TUI takes the
# screen (no escape sequence written). Never a crash or a hang.
# usage: files.sh BOOTSCOPE HELLO
. "$(dirname "$0")/lib.sh"

# strerror as bootscope words it: lowercase first letter.
strerr() {
	python3 -c 'import os, sys; m = os.strerror(int(sys.argv[1])); print(m[0].lower() + m[1:])' "$1"
}

mkdir "$TMP/dir"
mkfifo "$TMP/fifo"
cp "$HELLO" "$TMP/noexec"
chmod 644 "$TMP/noexec"
printf '#!/bin/sh\necho not an ELF\n' >"$TMP/script"
: >"$TMP/empty"
head -c 1000 "$HELLO" >"$TMP/truncated"
head -c 40 "$HELLO" >"$TMP/header"
cp "$HELLO" "$TMP/aarch64"
printf '\267\000' | dd of="$TMP/aarch64" bs=1 seek=18 conv=notrunc status=none
printf '.globl _start\n_start:\n\tmovl $1, %%eax\n\txorl %%ebx, %%ebx\n\tint $0x80\n' >"$TMP/i386.s"
as --32 -o "$TMP/i386.o" "$TMP/i386.s"
ld -m elf_i386 -o "$TMP/i386" "$TMP/i386.o"
printf 'int f(void) { return 1; }\n' >"$TMP/obj.c"
cc -c -o "$TMP/object.o" "$TMP/obj.c"
chmod 755 "$TMP/script" "$TMP/empty" "$TMP/truncated" "$TMP/header" \
	"$TMP/aarch64" "$TMP/i386" "$TMP/object.o"

# The inputs are what we think they are (readelf as the witness).
readelf -h "$TMP/i386" | grep -q 'Class:.*ELF32' || fail "i386 input is not ELF32"
readelf -h "$TMP/aarch64" | grep -q 'Machine:.*AArch64' || fail "aarch64 input is not AArch64"
readelf -h "$TMP/object.o" | grep -q 'Type:.*REL' || fail "object.o is not relocatable"
[ "$(stat -c %s "$TMP/truncated")" -lt "$(stat -c %s "$HELLO")" ] || fail "truncated is not shorter"

# name|path|what the message must say
cases=(
	"missing|$TMP/does-not-exist|$(strerr 2)"
	"directory|$TMP/dir|$(strerr 21)"
	"FIFO (would block)|$TMP/fifo|not a regular file"
	"device (endless)|/dev/zero|not a regular file"
	"no execute permission|$TMP/noexec|$(strerr 13)"
	"shell script|$TMP/script|not an ELF file"
	"empty file|$TMP/empty|not an ELF file"
	"truncated ELF|$TMP/truncated|truncated ELF file"
	"ELF header cut short|$TMP/header|truncated ELF file"
	"32-bit ELF|$TMP/i386|32-bit"
	"ELF for another machine|$TMP/aarch64|AArch64"
	"relocatable object|$TMP/object.o|not an executable"
)

for c in "${cases[@]}"; do
	IFS='|' read -r name path want <<<"$c"

	bs 20 --batch -ex run "$path"
	no_crash "$name (text)"
	expect_rc 1 "$name (text)"
	[ "$(lines "$TMP/err")" -eq 1 ] || fail "$name (text): want one line on stderr, got: $(cat "$TMP/err")"
	[ ! -s "$TMP/out" ] || fail "$name (text): stdout not empty: $(head -c 300 "$TMP/out")"
	has "$TMP/err" "$want" "$name (text)"
	has "$TMP/err" "$path" "$name (text)"

	bs 20 --batch --json -ex run "$path"
	no_crash "$name (json)"
	expect_rc 1 "$name (json)"
	[ "$(lines "$TMP/out")" -eq 1 ] || fail "$name (json): want one line, got: $(cat "$TMP/out")"
	[ ! -s "$TMP/err" ] || fail "$name (json): stderr not empty: $(cat "$TMP/err")"
	check_jsonl "$TMP/out" "$name (json)"
	msg=$(json_get "$TMP/out" error message) || fail "$name (json): no error event in $(cat "$TMP/out")"
	case $msg in *"$want"*) ;; *) fail "$name (json): message '$msg' lacks '$want'" ;; esac

	if [ "$name" != "no execute permission" ]; then
		bs 20 --list-stages "$path"
		no_crash "$name (--list-stages)"
		expect_rc 1 "$name (--list-stages)"
		has "$TMP/err" "$want" "$name (--list-stages)"
	fi

	# On a terminal: refused before curses starts, so nothing but the line.
	bs_tui 20 "$path"
	no_crash "$name (tui)"
	expect_rc 1 "$name (tui)"
	has "$TMP/tty" "$want" "$name (tui)"
	if grep -q $'\e' "$TMP/tty"; then
		fail "$name (tui): the terminal was initialised: $(od -c "$TMP/tty" | head -5)"
	fi
	[ "$(tr -d '\r' <"$TMP/tty" | lines /dev/stdin)" -eq 1 ] ||
		fail "$name (tui): want one line, got: $(cat -v "$TMP/tty")"
done

# A file that cannot be executed still lists its stages (nothing runs).
bs 20 --list-stages "$TMP/noexec"
expect_rc 0 "--list-stages of a non-executable file"
has "$TMP/out" "runtime.rt0_go" "--list-stages of a non-executable file"

finish
