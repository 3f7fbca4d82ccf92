#!/usr/bin/env bash
# Builds the browser package: wasm/ with wasm-pack into wasm/pkg (ES module + .wasm + .d.ts),
# an npm package that Vite apps import and Node loads with initSync.
#
#  * rustup has wasm32-unknown-unknown: plain wasm-pack.
#  * otherwise: Debian's rustc-web with -Z build-std (scripts/install-wasm-toolchain.sh,
#    shared/TOOLCHAIN.md), scoped to this build by the environment below.
# Needs scripts/install-wasm-pack.sh (wasm-bindgen-cli at the crate's exact version, wasm-pack).
# Output: wasm/pkg; prints the .wasm size raw and gzipped.
set -euo pipefail

log() { printf '[build-wasm-package] %s\n' "$*"; }
die() { printf '[build-wasm-package] ERROR: %s\n' "$*" >&2; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
TARGET=wasm32-unknown-unknown
DEBIAN_RUSTC=/usr/bin/rustc
# The client shapes are generated from core's Rust types; refuse a stale copy.
bash scripts/check-ts-types.sh || die "core/ts/types.gen.d.ts drifted from core's types"
# Its own target dir, so that Debian's rustc does not invalidate the native build cache.
export CARGO_TARGET_DIR=${CROUS_WASM_TARGET_DIR:-$ROOT/target/wasm-pkg}

command -v wasm-pack >/dev/null || die "wasm-pack not found: run scripts/install-wasm-pack.sh"
command -v wasm-bindgen >/dev/null || die "wasm-bindgen not found: run scripts/install-wasm-pack.sh"

pack_args=(build wasm --release --target web --out-dir pkg --out-name crous_till)
cargo_args=()
if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
  log "rustup has $TARGET"
else
  [[ -x "$DEBIAN_RUSTC" ]] || die "no rustup $TARGET and no $DEBIAN_RUSTC: run scripts/install-wasm-toolchain.sh"
  log "using Debian's $("$DEBIAN_RUSTC" --version) with -Z build-std"
  export RUSTC=$DEBIAN_RUSTC RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld
  unset RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER
  cargo_args=(-Z build-std=std,panic_abort)
fi
# Size and speed: opt-level "s" (BENCHMARKS.md: as fast as "3" within noise, 24 kB gzip smaller;
# "z" is 17 kB smaller again but ~1.5x slower; CROUS_WASM_OPT_LEVEL overrides), one codegen unit
# and LTO for this package only (the workspace's release profile is left alone); panics abort
# (there is no unwinding across wasm-bindgen anyway).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=${CROUS_WASM_OPT_LEVEL:-s} CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_PANIC=abort

log "wasm-pack ${pack_args[*]} -- ${cargo_args[*]}"
wasm-pack --log-level warn "${pack_args[@]}" -- "${cargo_args[@]}"

wasm=wasm/pkg/crous_till_bg.wasm
[[ -f "$wasm" ]] || die "$wasm was not produced"

# Size: a current binaryen from npm (wasm/tools; Debian's 108 breaks the externref table).
if [[ ! -x wasm/tools/node_modules/.bin/wasm-opt ]] || ! wasm/tools/node_modules/.bin/wasm-opt --version | grep -q 'version 132' \
   || [[ ! -x wasm/tools/node_modules/.bin/tsc ]] || [[ ! -d wasm/tools/node_modules/fake-indexeddb ]]; then
  log "npm ci in wasm/tools (binaryen, typescript, fake-indexeddb)"
  npm ci --prefix wasm/tools --no-audit --no-fund --loglevel=error
fi
# CROUS_WASM_NAMES=1 keeps the function names (wasm-opt -g), for a profiler or twiggy.
names=()
[[ "${CROUS_WASM_NAMES:-}" == 1 ]] && names=(-g)
log "wasm-opt -Oz ${names[*]} ($(stat -c %s "$wasm") bytes before)"
wasm/tools/node_modules/.bin/wasm-opt -Oz "${names[@]}" --enable-bulk-memory --enable-reference-types --enable-multivalue \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
# The entry points (index.js guarded for browsers and bundlers, index.node.js ready in Node) and
# the exports map.
node wasm/js/make_entries.mjs wasm/pkg
# The package must not expose `any` to TypeScript users. wasm-bindgen types the raw exports of
# the module (`InitOutput`, externref slots nobody calls directly) as `any`: they become `unknown`.
sed -i -E '/^export interface InitOutput/,/^}/ s/\bany\b/unknown/g' wasm/pkg/crous_till.d.ts
if grep -nE '(:\s*any\b|\bany\[\]|<any>|\|\s*any\b|\bany\s*[|;,)>])' wasm/pkg/crous_till.d.ts; then
  die "the generated .d.ts uses the type 'any'"
fi
# The types a till is written against compile under tsc --strict (wasm/tests/types/usage.ts).
wasm/tools/node_modules/.bin/tsc -p wasm/tests/types/tsconfig.json || die "the package's TypeScript types do not check"
log "TypeScript: wasm/tests/types/usage.ts checks under --strict"
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
log "OK: $wasm: $raw bytes raw, $gz bytes gzip -9"
