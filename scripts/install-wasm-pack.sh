#!/usr/bin/env bash
# Installs wasm-bindgen-cli and wasm-pack, which build the browser package (wasm/) into npm form.
#
# wasm-bindgen-cli must be exactly the version of the `wasm-bindgen` crate pinned in
# wasm/Cargo.toml (`=0.2.130`), so both versions are fixed here. Without `--locked`: one locked
# dependency of the CLI is missing from the registry (shared/TOOLCHAIN.md).
# Idempotent: a tool already at the right version is skipped, so a rerun takes a second.
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130
WASM_PACK_VERSION=0.15.1

log() { printf '[install-wasm-pack] %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"

# version_of TOOL: the version its --version prints ("wasm-bindgen 0.2.130" -> 0.2.130).
version_of() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | awk '{print $2}' || true; }

install() { # install CRATE VERSION TOOL
  local have
  have=$(version_of "$3")
  if [[ "$have" == "$2" ]]; then
    log "$3 $2 already installed"
    return
  fi
  log "installing $1 $2 (found: ${have:-none}); about 3 minutes on 2 cores"
  local start=$SECONDS
  cargo install "$1" --version "$2" --force
  log "$1 $2 installed in $((SECONDS - start)) s"
}

install wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
install wasm-pack "$WASM_PACK_VERSION" wasm-pack
log "wasm-bindgen: $(command -v wasm-bindgen), wasm-pack: $(command -v wasm-pack)"
