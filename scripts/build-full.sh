#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml): builds the full page into full/ of the build being
# staged, then draws the default page's first frame into its index.html. The default page (index.html) is built without the modes and the lesson player a
# first visit does not need (Cargo features, see Cargo.toml), so that it loads fast; the full
# page has them all and is where the default page sends the learner for them. Both come from
# the same index.html: the full page's copy drops the `data-cargo-no-default-features`
# attribute and the part marked as the default page's own (its early redirect), and uncomments
# what is marked as the full page's own (the style of modes the default page leaves out).
set -euo pipefail
# The nested build runs this hook too; it has nothing more to build.
if [ -n "${FAULTLINE_FULL_BUILD:-}" ]; then
    exit 0
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${TRUNK_STAGING_DIR:?run by Trunk as a post_build hook (Trunk.toml)}"
page="$root/.full.html"
sed -e '/data-cargo-no-default-features/d' \
    -e 's|<!-- full page only: \(.*\) -->|\1|' \
    -e '/<!-- default page only -->/,/<!-- \/default page only -->/d' \
    "$root/index.html" >"$page"
release=()
if [ "${TRUNK_PROFILE:-debug}" = "release" ]; then release=(--release); fi
FAULTLINE_FULL_BUILD=1 trunk build "${release[@]}" --dist "$TRUNK_STAGING_DIR/full" "$page"
# The default page's first frame, drawn by its own app (needs Chromium: scripts/lib.sh).
node "$root/scripts/first-frame.mjs" "$TRUNK_STAGING_DIR"
# The names of each page's app files, for widgets on documentation pages (static/embed.js).
node "$root/scripts/app-files.mjs" "$TRUNK_STAGING_DIR" "$TRUNK_STAGING_DIR/full"
