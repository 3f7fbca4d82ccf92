#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/browser/, playwright-core driving
# /usr/bin/chromium headless). `npx playwright install` cannot download a browser here
# (shared/TOOLCHAIN.md, "Browser tests"), so the browser comes from apt.
#
# Idempotent: apt is not touched when the packages are installed (scripts/lib/apt.sh).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
apt_install_missing install-chromium chromium fonts-dejavu-core
[[ -x /usr/bin/chromium ]] || { echo "[install-chromium] /usr/bin/chromium missing after install" >&2; exit 1; }
echo "[install-chromium] $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
