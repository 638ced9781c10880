#!/usr/bin/env bash
# Shared by run.sh and test.sh: install what is missing, configure, build.
# Sourced, not executed.
set -euo pipefail

BOOTSCOPE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# SANITIZE=1: AddressSanitizer and UBSan, in a build directory of their own.
if [ "${SANITIZE:-0}" = 1 ]; then
  BUILD_DIR=${BUILD_DIR:-$BOOTSCOPE_ROOT/build-asan}
  bootscope_meson_opts=(-Db_sanitize=address,undefined)
else
  BUILD_DIR=${BUILD_DIR:-$BOOTSCOPE_ROOT/build}
  bootscope_meson_opts=()
fi

bootscope_packages=(
  gcc binutils meson ninja-build pkg-config
  libncurses-dev libcapstone-dev libelf-dev libdw-dev
  gdb tmux procps golang-go strace
  python3 groff-base man-db
  clang libclang-rt-14-dev valgrind
  clang-format
)

bootscope_install_missing() {
  local missing=() p
  for p in "${bootscope_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "bootscope: missing packages: ${missing[*]} (run as root, or install them)" >&2
    return 1
  fi
  echo "bootscope: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

bootscope_build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    meson setup "$BUILD_DIR" "$BOOTSCOPE_ROOT" -Dwerror=true \
      "${bootscope_meson_opts[@]}" >/dev/null
  fi
  meson compile -C "$BUILD_DIR" >/dev/null || meson compile -C "$BUILD_DIR"
}

bootscope_install_missing
bootscope_build
