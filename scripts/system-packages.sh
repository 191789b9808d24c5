#!/usr/bin/env bash
# The system libraries the Python packages cannot bring: Pango (and a font), which WeasyPrint draws PDF text
# with, and HarfBuzz's subsetter, which cuts the embedded fonts down to the glyphs used (without it WeasyPrint
# falls back to fontTools, about half a second of CPU on every story PDF). Installed with apt when missing and we
# are allowed to; otherwise we say what to install.
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0'; then
  exit 0
fi
packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
sudo=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
fi
if { [ "$(id -u)" = "0" ] || [ -n "$sudo" ]; } && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${packages} for PDF export..."
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages} >/dev/null
else
  echo "Note: PDF export needs Pango. Install it with: sudo apt-get install ${packages}" >&2
fi
