#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages: the shared store of several Node servers
# (`postgres://` locations of the addon's tills and outboxes), and its tests.
# Idempotent: apt is not touched when the package is installed (scripts/lib/apt.sh).
# It does not start a server: scripts/start-postgres.sh starts a throwaway one on loopback.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
apt_install_missing install-postgres postgresql
