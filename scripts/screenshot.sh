#!/usr/bin/env bash
# Looks at report.html in a real browser: builds the report of YEAR and has Debian's chromium
# (headless) take a screenshot of its first A4 page, and, with --pdf, print the whole report
# to PDF on A4 as a reader would.
#
#   scripts/screenshot.sh [YEAR] [--out DIR] [--pdf]
#
# Writes DIR/screenshot.png (1240 x 1754 pixels: A4 at 150 dpi) and with --pdf DIR/report.pdf;
# DIR defaults to out/YEAR. Without chromium it says so and exits 0 (the browser test in
# tests/html.rs skips the same way); install it with `apt-get install chromium`.
set -euo pipefail
cd "$(dirname "$0")/.."

year=2021
out=""
pdf=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --pdf) pdf=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) year="$1"; shift ;;
  esac
done
out="${out:-out/$year}"

browser=""
for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then browser="$name"; break; fi
done
if [ -z "$browser" ]; then
  echo "screenshot: skipped, no chromium on the PATH (apt-get install chromium)" >&2
  exit 0
fi

cargo build --release --quiet
./target/release/oco-report build "$year" --out "$out"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
html="file://$(cd "$out" && pwd)/report.html"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --hide-scrollbars "--user-data-dir=$profile")

timeout 120 "$browser" "${flags[@]}" --screenshot="$out/screenshot.png" \
  --window-size=1240,1754 "$html" 2>/dev/null
echo "screenshot: $out/screenshot.png"
if [ "$pdf" = 1 ]; then
  timeout 120 "$browser" "${flags[@]}" --no-pdf-header-footer \
    --print-to-pdf="$out/report.pdf" "$html" 2>/dev/null
  echo "screenshot: $out/report.pdf"
fi
