#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite.
# SANITIZE=1: the same built with AddressSanitizer and UBSan, in build-asan.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
if [ "${SANITIZE:-0}" = 1 ]; then
  # Any report fails the test that triggered it.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
fi
meson test -C "$BUILD_DIR" --print-errorlogs "$@"
