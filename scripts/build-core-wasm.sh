#!/usr/bin/env bash
# Builds crous-till-core (core/) for wasm32-unknown-unknown in release mode.
#
#  * rustup has the wasm32-unknown-unknown target: plain `cargo build --target wasm32-unknown-unknown`.
#  * otherwise: Debian's rustc-web (see scripts/install-wasm-toolchain.sh and shared/TOOLCHAIN.md)
#    with `-Z build-std=std,panic_abort`, scoped to this build only by the environment and flags below.
#
# The build goes to its own target dir (target/wasm-core, or $CROUS_WASM_TARGET_DIR) so that the
# Debian rustc does not invalidate the native build cache in target/.
# Exits non-zero if the build fails or does not produce real wasm32 code.
set -euo pipefail

log() { printf '[build-core-wasm] %s\n' "$*"; }
die() { printf '[build-core-wasm] ERROR: %s\n' "$*" >&2; exit 1; }
scratch=
on_exit() {
  local rc=$?
  [[ -n "$scratch" ]] && rm -rf "$scratch"
  if ((rc != 0)); then printf '[build-core-wasm] FAILED (exit %s)\n' "$rc" >&2; fi
  return "$rc"
}
trap on_exit EXIT

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

TARGET=wasm32-unknown-unknown
CRATE=crous-till-core
LIB=crous_till_core
TARGET_DIR=${CROUS_WASM_TARGET_DIR:-$ROOT/target/wasm-core}
DEBIAN_RUSTC=/usr/bin/rustc

cargo_args=(build --release --package "$CRATE" --lib --target "$TARGET" --target-dir "$TARGET_DIR")

if command -v rustup >/dev/null 2>&1 \
   && rustup target list --installed 2>/dev/null | grep -x "$TARGET" >/dev/null; then
  log "rustup has $TARGET: using $(rustc --version)"
  log "Running: cargo ${cargo_args[*]}"
  cargo "${cargo_args[@]}"
else
  [[ -x "$DEBIAN_RUSTC" ]] && "$DEBIAN_RUSTC" --print target-list | grep -x "$TARGET" >/dev/null \
    || die "no rustup $TARGET target and no Debian rustc-web at $DEBIAN_RUSTC: run scripts/install-wasm-toolchain.sh first"
  command -v wasm-ld >/dev/null 2>&1 \
    || die "wasm-ld not found: run scripts/install-wasm-toolchain.sh first"
  log "rustup has no $TARGET: using Debian's $("$DEBIAN_RUSTC" --version) with -Z build-std"
  cargo_args+=(-Z build-std=std,panic_abort)
  log "Running: RUSTC=$DEBIAN_RUSTC RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld cargo ${cargo_args[*]}"
  # RUSTC_WRAPPER/RUSTFLAGS meant for the native toolchain (e.g. sccache) are not passed on.
  env -u RUSTC_WRAPPER -u RUSTC_WORKSPACE_WRAPPER \
    RUSTC="$DEBIAN_RUSTC" RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
    cargo "${cargo_args[@]}"
fi

# Check that a real wasm32 compile of the core happened: the rlib must hold WebAssembly objects.
RLIB=$TARGET_DIR/$TARGET/release/lib$LIB.rlib
[[ -f "$RLIB" ]] || die "expected $RLIB, not found"

# (Extract to a scratch dir: piping `ar p` into `head` would SIGPIPE under pipefail.)
scratch=$(mktemp -d)
(cd "$scratch" && ar x "$RLIB")
wasm_objects=0
for obj in "$scratch"/*.o; do
  [[ -f "$obj" ]] || continue
  # Every WebAssembly module starts with the 4 bytes "\0asm".
  magic=$(head -c 4 "$obj" | od -An -tx1 | tr -d ' \n')
  if [[ "$magic" == "0061736d" ]]; then
    wasm_objects=$((wasm_objects + 1))
    if ((wasm_objects == 1)) && command -v file >/dev/null 2>&1; then
      log "object: $(basename "$obj"): $(file -b "$obj")"
    fi
  fi
done
((wasm_objects > 0)) || die "$RLIB holds no WebAssembly object: core was not compiled to wasm32 code"

size=$(stat -c %s "$RLIB")
log "OK: $CRATE compiled for $TARGET ($wasm_objects WebAssembly object(s) in the rlib)"
log "rlib: $RLIB"
log "size: $size bytes ($(numfmt --to=iec-i --suffix=B "$size"))"
