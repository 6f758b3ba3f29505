#!/usr/bin/env bash
# Install Debian's Chromium, which the browser tests drive through Playwright (no browser download).
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
    echo "Chromium is already installed."
    exit 0
fi
sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "Run as root (or install sudo) to install Chromium." >&2; exit 1; }
    sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
