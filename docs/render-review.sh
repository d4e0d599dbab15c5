#!/usr/bin/env bash
# Regenerate the reference renderings of reviews in docs/reviews/: each
# review as .docx, converted by LibreOffice to PDF, every page to PNG.
#   - the joint 10-year review of old Đồng Tháp (87, 2013 – 2023, dated 18/5/2023);
#   - the yearly review of the Front of Điện Biên (11, 2024);
#   - an empty first half of 2026 of Đồng Tháp (82): a stamped draft.
# Needs LibreOffice (soffice) and poppler-utils (pdftoppm). Look at them after.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/reviews"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# ANTQ_BIN: a binary already built (any profile: the files are the same).
if [ -n "${ANTQ_BIN:-}" ]; then
  antq="$ANTQ_BIN"
else
  cargo build --release -p antq --manifest-path "$root/Cargo.toml"
  antq="$root/target/release/antq"
fi
cd "$work"
export ANTQ__DATA_DIR="$work/data"
ANTQ__DEMO_PASSWORD="$(head -c 24 /dev/urandom | base64)" "$antq" demo >/dev/null
render() {
  local name="$1"; shift
  "$antq" review "$@" --format docx -o "$name.docx"
  soffice --headless --convert-to pdf "$name.docx" >/dev/null
  rm -f "$out/$name"-*.png
  pdftoppm -png -r 60 "$name.pdf" "$out/$name"
  cp "$name.pdf" "$out/$name.pdf"
}
mkdir -p "$out"
render dong-thap-2013-2023-joint --unit 87 --from 2013 --to 2023 --owner joint --date 2023-05-18
render dien-bien-2024-front --unit 11 --from 2024 --owner front --date 2024-12-20
render dong-thap-2026s1-draft --unit 82 --from 2026S1 --owner police --date 2026-06-20
ls "$out"
