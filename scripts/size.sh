#!/usr/bin/env bash
# Prints the transfer size of a release build: every file in dist/ compressed with gzip -9, per
# file and in total, and separately the default page (index.html plus the JS, wasm and CSS it
# loads). Builds nothing: run `trunk build --release` first. KB means 1000 bytes.
#
#   bash scripts/size.sh            # report
#   bash scripts/size.sh --check    # also fail if the default page is over the budget
#   bash scripts/size.sh --check path/to/dist
set -euo pipefail

budget_kb=220
check=""
dist=""
for arg in "$@"; do
    case "$arg" in
        --check) check=1 ;;
        -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
        *) dist="$arg" ;;
    esac
done
dist="${dist:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/dist}"

if [ ! -f "$dist/index.html" ]; then
    echo "error: $dist/index.html not found; build it first: trunk build --release" >&2
    exit 1
fi

# Files a page loads: every local .js/.wasm/.css path named in its index.html.
loaded_by() { # loaded_by FOLDER (relative to dist, "" for the default page)
    local folder="$1"
    grep -oE '[A-Za-z0-9_./-]+\.(js|wasm|css)' "$dist/${folder}index.html" | sed 's|^\./||; s|^/||' |
        sort -u | while read -r f; do [ -f "$dist/$folder$f" ] && echo "$folder$f"; done
}
mapfile -t page_files < <(loaded_by "")

gz() { gzip -9 -c "$1" | wc -c; }

# The full page (every mode and the lesson player), which the default page opens for the rest.
full_gz=0
if [ -f "$dist/full/index.html" ]; then
    for f in full/index.html $(loaded_by full/); do full_gz=$((full_gz + $(gz "$dist/$f"))); done
fi

printf '%-52s %10s %10s\n' "file (dist/)" "raw KB" "gzip-9 KB"
total_raw=0 total_gz=0 page_raw=0 page_gz=0
while IFS= read -r -d '' path; do
    rel="${path#"$dist"/}"
    raw=$(wc -c <"$path")
    gzipped=$(gz "$path")
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + gzipped))
    mark=""
    if [ "$rel" = "index.html" ] || printf '%s\n' "${page_files[@]}" | grep -qxF "$rel"; then
        page_raw=$((page_raw + raw))
        page_gz=$((page_gz + gzipped))
        mark=" *"
    fi
    printf '%-52s %10s %10s%s\n' "$rel" "$(awk -v b="$raw" 'BEGIN{printf "%.1f", b/1000}')" \
        "$(awk -v b="$gzipped" 'BEGIN{printf "%.1f", b/1000}')" "$mark"
done < <(find "$dist" -type f -print0 | sort -z)

kb() { awk -v b="$1" 'BEGIN{printf "%.1f", b/1000}'; }
printf '%-52s %10s %10s\n' "total (every file)" "$(kb "$total_raw")" "$(kb "$total_gz")"
printf '%-52s %10s %10s\n' "default page (the * files)" "$(kb "$page_raw")" "$(kb "$page_gz")"
if [ "$full_gz" -gt 0 ]; then
    printf '%-52s %10s %10s\n' "full page (full/index.html and what it loads)" "" "$(kb "$full_gz")"
fi
echo "(* = index.html and the JS, wasm and CSS it loads; budget: at most $budget_kb KB gzip -9)"

if [ -n "$check" ] && [ "$page_gz" -gt $((budget_kb * 1000)) ]; then
    echo "error: the default page is $(kb "$page_gz") KB gzip -9, over the $budget_kb KB budget" >&2
    exit 1
fi
