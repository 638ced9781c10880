#!/usr/bin/env bash
# Install what is missing, build, check the format, and run the whole test suite.
# SANITIZE=1: the same built with AddressSanitizer and UBSan, in build-asan.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
if [ "${SANITIZE:-0}" = 1 ]; then
  # Any report fails the test that triggered it.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
fi
# The sources must match .clang-format (scripts/format.sh reformats them).
# The tests run either way; a difference fails the run at the end.
format_rc=0
"$BOOTSCOPE_ROOT/scripts/format.sh" --check || format_rc=$?
meson test -C "$BUILD_DIR" --print-errorlogs "$@"
if [ "$format_rc" -ne 0 ]; then
  echo "test.sh: the format check failed (see above; scripts/format.sh reformats)" >&2
  exit "$format_rc"
fi
