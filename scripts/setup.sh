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
  libncurses-dev libcapstone-dev libelf-dev libdw-dev libdeflate-dev nettle-dev
  gdb tmux procps golang-go strace graphviz
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

# Best effort, never failing the run: Go toolchains of other releases from
# Debian's backports, so that tests/go/layout.py checks bootscope's table of
# runtime layouts against their DWARF too (without them those checks skip
# and say so). The backports source copies the mirror of the system's own.
bootscope_go_witnesses=(golang-1.21-go golang-1.22-go golang-1.23-go)

bootscope_install_go_witnesses() {
  local p missing=() codename src=/etc/apt/sources.list.d/debian.sources
  local bp=/etc/apt/sources.list.d/bootscope-backports.sources
  for p in "${bootscope_go_witnesses[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] && [ -f "$src" ] || return 0
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || return 0
  [ -n "$codename" ] || return 0
  if [ ! -f "$bp" ]; then
    awk -v suite="$codename-backports" '
      /^URIs:/ && !u { u = $0 } /^Signed-By:/ && !k { k = $0 }
      END { if (u) { print "Types: deb"; print u; print "Suites: " suite
                     print "Components: main"; if (k) print k } }' "$src" >"$bp" || return 0
  fi
  echo "bootscope: installing ${missing[*]} (best effort, for tests/go/layout.py)" >&2
  export DEBIAN_FRONTEND=noninteractive
  timeout 120 apt-get update -qq >/dev/null 2>&1 &&
    timeout 300 apt-get install -y -qq --no-install-recommends -t "$codename-backports" \
      "${missing[@]}" >/dev/null 2>&1 ||
    echo "bootscope: ${missing[*]} not installed; the layout checks of those releases skip" >&2
  return 0
}

bootscope_build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    meson setup "$BUILD_DIR" "$BOOTSCOPE_ROOT" -Dwerror=true \
      "${bootscope_meson_opts[@]}" >/dev/null
  fi
  meson compile -C "$BUILD_DIR" >/dev/null || meson compile -C "$BUILD_DIR"
}

bootscope_install_missing
bootscope_install_go_witnesses || true
bootscope_build
