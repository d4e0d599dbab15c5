#!/usr/bin/env bash
# Regenerate docs/review-dong-thap-2013-2023-page1.png: the demo's 10-year
# review of old Đồng Tháp as .docx, converted by LibreOffice to PDF, page 1 to PNG.
# Needs LibreOffice (soffice) and poppler-utils (pdftoppm).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release -p antq --manifest-path "$root/Cargo.toml"
cd "$work"
ANTQ__DEMO_PASSWORD="$(head -c 24 /dev/urandom | base64)" "$root/target/release/antq" demo >/dev/null
"$root/target/release/antq" review --unit 87 --from 2013 --to 2023 --owner joint \
  --date 2023-05-18 --format docx -o review.docx
soffice --headless --convert-to pdf review.docx >/dev/null
pdftoppm -png -r 80 -f 1 -l 1 -singlefile review.pdf page1
cp page1.png "$here/review-dong-thap-2013-2023-page1.png"
echo "written $here/review-dong-thap-2013-2023-page1.png"
