#!/usr/bin/env bash
# Installs what the native bridge needs to build and to be tested without hardware:
#
#   pcscd            the PC/SC daemon the bridge talks to (the tests start their own, foreground)
#   libpcsclite-dev  the library the `pcsc` crate links against (`cargo test --workspace` needs it)
#   vsmartcard-vpcd  the virtual reader driver: two readers whose "cards" are TCP clients on
#                    127.0.0.1:35963 / :35964 (the project's own virtual cards, see native-bridge/)
#   pcsc-tools       pcsc_scan, for a human looking at the readers
#
# Idempotent: apt is not touched when the packages are installed (scripts/lib/apt.sh). See shared/TOOLCHAIN.md, "PC/SC without hardware".
# It does not start pcscd: the integration tests start (and stop) their own.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
apt_install_missing install-pcscd pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools
