#!/usr/bin/env bash
# The crous-till main job: `bash scripts/demo.sh [--port N] [--no-open]` opens the browser till.
#
# On a fresh Debian 12 machine with the rustup toolchain (and Node/npm, which the package build
# uses for binaryen), it installs what the till needs: the wasm32 toolchain, wasm-bindgen-cli +
# wasm-pack, and the PC/SC library the card bridge links against (each script is idempotent, so a
# second run skips them). Then it builds the browser package (wasm/pkg) and runs `crous-till demo`:
# the sandbox (Crous API, Izly, IzlyConnect, IzlyPay, esipay on 127.0.0.1), the till page and the
# web shop on the same origin, and the card bridge with a simulated reader whose test cards the page
# can tap. It prints the page's URL (and opens it unless --no-open); Ctrl-C stops everything.
# Arguments go to `crous-till demo` (default port 8080; --port 0 takes any free port).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() { printf 'demo: %s\n' "$*" >&2; exit 1; }
command -v cargo >/dev/null || die "cargo is required (https://rustup.rs)"
command -v npm >/dev/null || die "Node.js and npm are required (apt-get install nodejs npm)"

bash scripts/install-wasm-toolchain.sh
bash scripts/install-wasm-pack.sh
bash scripts/install-pcscd.sh
bash scripts/build-wasm-package.sh

echo
echo "== crous-till demo: building the command (the URL follows)"
exec cargo run --release -p crous-till-cli -- demo "$@"
