#!/usr/bin/env bash
# Install what is missing, build, and start bootscope (extra arguments pass through).
set -euo pipefail
. "$(dirname "$0")/setup.sh"
exec "$BUILD_DIR/bootscope" "$@"
