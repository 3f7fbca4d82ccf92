#!/usr/bin/env bash
# Fails when core/ts/types.gen.d.ts (published by both packages) drifts from core's Rust
# types: core/tests/ts_types.rs generates the declarations with ts-rs and compares.
# CROUS_TILL_WRITE_TYPES=1 rewrites the file instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo test -q -p crous-till-core --features ts --test ts_types
