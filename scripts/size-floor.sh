#!/usr/bin/env bash
# The floor under the bundle budget: builds scripts/size-floor/ twice, as the app is built
# (release profile, wasm-bindgen --target web, wasm-opt -Oz with the app's feature flags), and
# prints what each page loads, gzip -9: a bare Yew page with one button, then the same page with
# Faultline's whole simulation behind the button. Run scripts/serve.sh or scripts/test.sh once
# first (they install the wasm32 target, wasm-bindgen and wasm-opt). KB means 1000 bytes.
#
#   bash scripts/size-floor.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
crate="$root/scripts/size-floor"
out="$root/target/size-floor"
mkdir -p "$out"
# index.html of such a page: about 0.5 KB gzipped, counted as measured from Trunk's output.
html_gz=0.5

measure() { # measure LABEL [cargo flags...]
    local label="$1"; shift
    CARGO_TARGET_DIR="$out/target" cargo build --quiet --release --target wasm32-unknown-unknown \
        --manifest-path "$crate/Cargo.toml" "$@"
    rm -rf "$out/pkg" && mkdir -p "$out/pkg"
    wasm-bindgen --target web --no-typescript --out-dir "$out/pkg" \
        "$out/target/wasm32-unknown-unknown/release/size-floor.wasm"
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        -o "$out/pkg/opt.wasm" "$out/pkg/size-floor_bg.wasm"
    local wasm js
    wasm=$(gzip -9 -c "$out/pkg/opt.wasm" | wc -c)
    js=$(gzip -9 -c "$out/pkg/size-floor.js" | wc -c)
    awk -v l="$label" -v w="$wasm" -v j="$js" -v h="$html_gz" \
        'BEGIN { printf "%-46s wasm %6.1f  js %5.1f  page %6.1f KB gzip -9\n", l, w/1000, j/1000, w/1000 + j/1000 + h }'
}

measure "bare Yew page, one button"
measure "the same with Faultline's whole simulation" --features sim
