#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Counterpart needs: Qt's system libraries (the window and the
# offscreen platform), Xvfb for screenshots, `age` and poppler for the interop tests. Runs only as root (CI, a fresh machine); otherwise it says what
# is missing and leaves the machine alone.
set -euo pipefail

PACKAGES=(
  # Qt 6 runtime libraries that PySide6 wheels expect on the system
  libgl1 libegl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0
  libnss3 libasound2 libcups2
  # a virtual screen for screenshots and window tests
  xvfb xauth
  # interop: the standard age CLI, pdftotext/pdftoppm
  age poppler-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Counterpart needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# libasound2 was renamed on newer Ubuntu; fall back to the t64 name where the old one is gone.
resolved=()
for p in "${missing[@]}"; do
  if apt-cache show "$p" >/dev/null 2>&1; then resolved+=("$p");
  elif apt-cache show "${p}t64" >/dev/null 2>&1; then resolved+=("${p}t64");
  else
    apt-get update -qq
    if apt-cache show "$p" >/dev/null 2>&1; then resolved+=("$p"); else resolved+=("${p}t64"); fi
  fi
done
apt-get update -qq || true
apt-get install -y -qq --no-install-recommends "${resolved[@]}" >/dev/null
