#!/usr/bin/env bash
# Installs what building crous-till-core for wasm32-unknown-unknown needs.
#
#  * If rustup already has the wasm32-unknown-unknown target (a developer laptop), nothing is needed.
#  * Otherwise (this project's machines: `rustup target add` cannot download there), Debian's
#    rustc-web (a rustc with the wasm32 backend, /usr/bin/rustc), rust-web-src (its std source, for
#    `-Z build-std`), lld (wasm-ld) and binaryen (wasm-opt) are installed with apt-get.
#
# Idempotent: every install whose right version is already present is skipped, so a rerun is quick.
# See shared/TOOLCHAIN.md for the recipe this implements; scripts/build-core-wasm.sh uses it.
set -euo pipefail

log() { printf '[install-wasm-toolchain] %s\n' "$*"; }
die() { printf '[install-wasm-toolchain] ERROR: %s\n' "$*" >&2; exit 1; }

TARGET=wasm32-unknown-unknown
PKGS=(rustc-web rust-web-src lld binaryen)
DEBIAN_RUSTC=/usr/bin/rustc
DEBIAN_STD_SRC=/usr/lib/rustlib/src/rust/library

# 1. rustup with the target already installed: nothing to do.
if command -v rustup >/dev/null 2>&1 \
   && rustup target list --installed 2>/dev/null | grep -x "$TARGET" >/dev/null; then
  log "rustup already has $TARGET installed: nothing to install."
  exit 0
fi
log "rustup has no $TARGET target: using Debian's rustc-web + rust-web-src + lld + binaryen."

# Installed version of a Debian package, or nothing if it is not (fully) installed.
installed_version() {
  local status
  status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)
  if [[ "$status" == "install ok installed" ]]; then
    dpkg-query -W -f='${Version}' "$1"
  fi
}

# 2. Which packages are missing, or not at the right version?
missing=()
for pkg in "${PKGS[@]}"; do
  ver=$(installed_version "$pkg")
  if [[ -z "$ver" ]]; then
    log "  $pkg: not installed"
    missing+=("$pkg")
  else
    log "  $pkg: $ver already installed"
  fi
done

# rust-web-src must be the std source of exactly the installed rustc-web.
rustc_ver=$(installed_version rustc-web)
src_ver=$(installed_version rust-web-src)
if [[ -n "$rustc_ver" && -n "$src_ver" && "$rustc_ver" != "$src_ver" ]]; then
  log "  rustc-web $rustc_ver and rust-web-src $src_ver differ: both will be brought to the same version"
  missing+=(rustc-web rust-web-src)
fi

# rustc-web must be at least the workspace's rust-version (Cargo.toml), else it is upgraded.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
min_rust=$(sed -nE '/^rust-version *=/{s/^rust-version *= *"([0-9.]+)".*/\1/p;q}' "$ROOT/Cargo.toml")
if [[ -n "$rustc_ver" && -n "$min_rust" ]] \
   && dpkg --compare-versions "${rustc_ver%%+*}" lt "$min_rust"; then
  log "  rustc-web $rustc_ver is older than the workspace's rust-version $min_rust: upgrading"
  missing+=(rustc-web rust-web-src)
fi

# Packages that dpkg calls installed but whose files are gone (or a rustc without wasm32).
if [[ -n "$rustc_ver" ]] && ! { [[ -x "$DEBIAN_RUSTC" ]] \
      && "$DEBIAN_RUSTC" --print target-list 2>/dev/null | grep -x "$TARGET" >/dev/null; }; then
  log "  rustc-web is installed but $DEBIAN_RUSTC cannot target $TARGET: reinstalling"
  missing+=(rustc-web)
fi
if [[ -n "$src_ver" && ! -d "$DEBIAN_STD_SRC" ]]; then
  log "  rust-web-src is installed but $DEBIAN_STD_SRC is missing: reinstalling"
  missing+=(rust-web-src)
fi

# 3. Install what is missing.
if ((${#missing[@]} == 0)); then
  log "All of ${PKGS[*]} are already installed: nothing to install."
else
  # De-duplicate, keeping order.
  declare -A seen=()
  to_install=()
  for pkg in "${missing[@]}"; do
    [[ -n "${seen[$pkg]:-}" ]] && continue
    seen[$pkg]=1
    to_install+=("$pkg")
  done

  SUDO=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot apt-get install ${to_install[*]}"
    SUDO=(sudo)
  fi
  # Wait for another apt/dpkg run on this machine (up to 10 min) instead of failing on its lock.
  APT_OPTS=(-o DPkg::Lock::Timeout=600)
  export DEBIAN_FRONTEND=noninteractive

  log "Running: ${SUDO[*]:+${SUDO[*]} }apt-get update"
  "${SUDO[@]}" apt-get "${APT_OPTS[@]}" update
  log "Running: ${SUDO[*]:+${SUDO[*]} }apt-get install -y ${to_install[*]}"
  start=$SECONDS
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "${to_install[@]}"
  log "apt-get install took $((SECONDS - start)) s."
fi

# 4. Check that the result is usable, and say what it is.
[[ -x "$DEBIAN_RUSTC" ]] || die "$DEBIAN_RUSTC is missing after installing rustc-web"
"$DEBIAN_RUSTC" --print target-list | grep -x "$TARGET" >/dev/null \
  || die "$DEBIAN_RUSTC does not support $TARGET"
[[ -d "$DEBIAN_STD_SRC" ]] || die "$DEBIAN_STD_SRC is missing after installing rust-web-src"
command -v wasm-ld >/dev/null 2>&1 || die "wasm-ld is not on PATH after installing lld"
log "Debian rustc: $("$DEBIAN_RUSTC" --version)"
log "wasm-ld:      $(wasm-ld --version | head -n1)"
if command -v wasm-opt >/dev/null 2>&1; then
  log "wasm-opt:     $(wasm-opt --version | head -n1)"
fi
log "Done."
