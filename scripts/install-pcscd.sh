#!/usr/bin/env bash
# Installs what the native bridge needs to build and to be tested without hardware:
#
#   pcscd            the PC/SC daemon the bridge talks to (the tests start their own, foreground)
#   libpcsclite-dev  the library the `pcsc` crate links against (`cargo test --workspace` needs it)
#   vsmartcard-vpcd  the virtual reader driver: two readers whose "cards" are TCP clients on
#                    127.0.0.1:35963 / :35964 (the project's own virtual cards, see native-bridge/)
#   pcsc-tools       pcsc_scan, for a human looking at the readers
#
# Idempotent: when `dpkg -s` already reports every package installed, apt is not touched.
# sudo is used only when not running as root. See shared/TOOLCHAIN.md, "PC/SC without hardware".
# It does not start pcscd: the integration tests start (and stop) their own.
set -euo pipefail

log() { printf '[install-pcscd] %s\n' "$*"; }

PKGS=(pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools)
REQUIRED=(pcscd libpcsclite-dev vsmartcard-vpcd)

if dpkg -s "${REQUIRED[@]}" >/dev/null 2>&1; then
  log "already installed: ${REQUIRED[*]}"
  exit 0
fi

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  SUDO=(sudo)
fi

log "installing ${PKGS[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PKGS[@]}"
dpkg -s "${REQUIRED[@]}" >/dev/null
log "installed: ${PKGS[*]}"
