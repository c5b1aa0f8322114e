#!/usr/bin/env bash
# Installs what the real-browser tests need: Debian's chromium and a CJK font
# (without one, Chinese renders as boxes in screenshots). Playwright itself comes
# from PyPI (requirements.txt) and drives this chromium; it cannot download its
# own browsers here. Called by `make test`; does nothing when both are present.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "The browser tests need: ${missing[*]} (Debian packages). Install them and rerun." >&2
  exit 1
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Need root (or sudo) to apt-get install ${missing[*]}." >&2; exit 1; }
  sudo_cmd=(sudo)
fi
echo "Installing ${missing[*]} for the browser tests..."
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
  || { "${sudo_cmd[@]}" apt-get update -q >/dev/null && \
       "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
