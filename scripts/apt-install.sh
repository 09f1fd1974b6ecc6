#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are not installed yet (as root, or through
# `sudo -n`); installs nothing when all of them are there. Used by the real-editor tests' set-up and the bench.
set -euo pipefail

missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
((${#missing[@]})) || exit 0

SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then SUDO=(sudo -n); else
    echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "apt-get install ${missing[*]}" >&2
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
