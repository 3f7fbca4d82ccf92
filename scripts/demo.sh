#!/usr/bin/env bash
# The crous-till main job: `bash scripts/demo.sh`.
#
# Today the project has its core and the `crous-till ticket check` command; the browser till
# against the sandbox (the real demo) lands with the browser-till issue and will replace the body
# of this script. Until then it builds the command and checks two hand-written tickets: one valid,
# one that a Crous back office would refuse.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v cargo >/dev/null || { echo "demo: cargo is required (https://rustup.rs)" >&2; exit 1; }
cargo build --release -p crous-till-cli
bin=target/release/crous-till
ref=examples/tickets/reference.json

echo
echo "== A student's tray paid by Izly QR code"
"$bin" ticket check --reference "$ref" examples/tickets/valid-student-izly-qr.json
echo
echo "== The same ticket with a 0.20 € water at 5.5 % VAT declared 0.18 € HT instead of 0.19 €"
"$bin" ticket check --reference "$ref" examples/tickets/vat-mismatch.json || echo "(exit $? : refused, as the Crous would)"
