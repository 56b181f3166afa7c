#!/usr/bin/env bash
# Sets up everything the web app needs on a fresh machine that has only Rust, then serves it on
# http://127.0.0.1:8080 (Ctrl-C stops). A second run skips every install (scripts/lib.sh).
#
# It serves the release build, the same optimized bundle a static host would ship, so what you
# see is what users get. Rebuilding it after an edit takes longer than a dev build; while editing
# UI code, `trunk serve` (dev profile, same address) rebuilds faster. Extra arguments are passed
# to `trunk serve`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_build_tools

cd "$FL_ROOT"
say "serving Faultline on http://127.0.0.1:8080 (release build; Ctrl-C stops)"
exec trunk serve --release --address 127.0.0.1 --port 8080 "$@"
