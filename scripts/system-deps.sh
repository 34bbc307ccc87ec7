#!/usr/bin/env bash
# System packages the suite needs: Debian's Chromium for the browser tests (Playwright drives it;
# `playwright install` cannot download here and is never used), CJK fonts, and Pango for WeasyPrint.
# Installs them with apt-get when missing and we are root; otherwise says what is missing.
set -euo pipefail

packages=(chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "system packages present"; exit 0; }

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "missing system packages (install them as root): ${missing[*]}" >&2
  exit 1
fi
