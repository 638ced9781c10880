#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
meson test -C "$BUILD_DIR" --print-errorlogs "$@"
