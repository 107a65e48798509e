#!/usr/bin/env bash
# System packages the server and browser tests need, on a fresh Debian machine.
# Called by .ci/run; safe to run again (it installs only what is missing) and quiet.
#   chromium: the headless browser tests/test_browser.py drives through Playwright
#             (/usr/bin/chromium; Playwright's own browser download is never used).
# Everything else (playwright, SPARQLWrapper, the oxigraph server binary) comes from pip.
set -euo pipefail

packages=(chromium)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]})); then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    echo "services.sh: installed ${missing[*]}"
fi

test -x /usr/bin/chromium || { echo "services.sh: /usr/bin/chromium is missing" >&2; exit 1; }
