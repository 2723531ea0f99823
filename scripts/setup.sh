#!/usr/bin/env bash
# Sets up Coursebook on a fresh Debian/Ubuntu machine and builds content/ into dist/.
#   scripts/setup.sh            system packages (if missing), npm ci, npm run build
#   scripts/setup.sh --system   system packages only (what CI needs before npm ci)
# System packages: chromium (PDF printing, diagrams, cover images, page tests), epubcheck and
# default-jre-headless (EPUB validation in tests), poppler-utils and qpdf (PDF checks in tests),
# fonts-noto-core, fonts-noto-mono and fonts-noto-color-emoji (embedded fonts in PDFs and screenshots),
# fonts-noto-cjk (Chinese, Japanese and Korean glyphs in PDFs and covers).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
have() { command -v "$1" >/dev/null 2>&1; }
have chromium || have chromium-browser || [ -n "${COURSEBOOK_CHROMIUM:-}" ] || packages+=(chromium)
[ -f /usr/share/java/epubcheck.jar ] || packages+=(epubcheck)
have java || packages+=(default-jre-headless)
have pdfinfo || packages+=(poppler-utils)
have qpdf || packages+=(qpdf)
[ -d /usr/share/fonts/truetype/noto ] || packages+=(fonts-noto-core fonts-noto-mono)
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || packages+=(fonts-noto-color-emoji)
ls /usr/share/fonts/opentype/noto/NotoSansCJK-* >/dev/null 2>&1 || packages+=(fonts-noto-cjk)

if [ ${#packages[@]} -gt 0 ]; then
  if ! have apt-get; then
    echo "Missing system packages: ${packages[*]}. Install them with your package manager." >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages: ${packages[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

[ "${1:-}" = "--system" ] && exit 0

# Puppeteer's own browser download is skipped (.puppeteerrc.cjs); Coursebook uses the system Chromium.
export PUPPETEER_SKIP_DOWNLOAD=1
npm ci
npm run build
