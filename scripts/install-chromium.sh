#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/browser/, playwright-core driving
# /usr/bin/chromium headless). `npx playwright install` cannot download a browser here
# (shared/TOOLCHAIN.md, "Browser tests"), so the browser comes from apt.
#
# Idempotent: when `dpkg -s chromium` already reports it installed, apt is not touched.
# sudo is used only when not running as root.
set -euo pipefail

log() { printf '[install-chromium] %s\n' "$*"; }

if dpkg -s chromium >/dev/null 2>&1 && [[ -x /usr/bin/chromium ]]; then
  log "already installed: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
  exit 0
fi

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  SUDO=(sudo)
fi

log "installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
dpkg -s chromium >/dev/null
log "installed: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
