#!/usr/bin/env bash
# Builds the Node addon the napi-rs way: node/ (crate crous-till-node, napi 3) in release mode with
# @napi-rs/cli (`napi build --platform`), which runs cargo and writes
#   node/crous_till.<platform>.node  the binary (stripped here), e.g. crous_till.linux-x64-gnu.node;
#   node/index.js                    napi's loader: the binary next to it, else the platform
#                                    package (crous-till-node-linux-x64-gnu, node/npm/*);
#   node/index.d.ts                  core/ts/types.gen.d.ts (generated from core's Rust types) and
#                                    node/types.d.ts joined into node/header.gen.d.ts, then the
#                                    declarations napi-derive emits.
# Checks that the declarations never say `any` and that a server written against them compiles
# under tsc --strict. scripts/pack-node-packages.sh turns the result into npm tarballs.
# Needs Rust and Node 20+; installs node/'s pinned npm packages (package-lock.json) when missing.
set -euo pipefail

log() { printf '[build-node-addon] %s\n' "$*"; }
die() { printf '[build-node-addon] ERROR: %s\n' "$*" >&2; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
command -v node >/dev/null || die "node not found (Node 20+ is needed)"

want=$(node -p 'require("./node/package.json").devDependencies["@napi-rs/cli"]')
have=$(node -p 'try { require("./node/node_modules/@napi-rs/cli/package.json").version } catch { "" }' 2>/dev/null || true)
if [[ "$have" != "$want" || ! -x node/node_modules/.bin/tsc ]]; then
  log "npm install in node/ (@napi-rs/cli $want, typescript; versions pinned by package-lock.json)"
  # Not `npm ci`: on Node 20 npm leaves the optional platform packages of @napi-rs/lzma (a
  # dependency of the CLI that asks for Node 22, unused by `napi build`) out of the lock file, and
  # `npm ci` then refuses it as out of sync. `npm install` installs the locked versions all the same.
  npm install --prefix node --no-audit --no-fund --loglevel=error
fi

# The header napi puts first in index.d.ts: core's shapes (shared with the browser package), then
# the addon's own.
# The client shapes are generated from core's Rust types; refuse a stale copy.
bash scripts/check-ts-types.sh || die "core/ts/types.gen.d.ts drifted from core's types"
cat core/ts/types.gen.d.ts node/types.d.ts > node/header.gen.d.ts
log "napi build --platform --release (crate crous-till-node)"
rm -f node/crous_till.*.node node/crous_till.node
(cd node && node_modules/.bin/napi build --platform --release --output-dir . --js index.js --dts index.d.ts)
binary=$(ls node/crous_till.*.node 2>/dev/null | head -n 1)
[[ -n "$binary" ]] || die "napi build produced no node/crous_till.<platform>.node"
[[ -f node/index.js && -f node/index.d.ts ]] || die "node/index.js or node/index.d.ts was not produced"
# napi's --strip leaves the symbols of this build in (12 MB): strip them here (9 MB).
strip --strip-unneeded "$binary"

# The addon must not expose `any` to TypeScript users.
if grep -nE '(:\s*any\b|\bany\[\]|<any>|\|\s*any\b|\bany\s*[|;,)>])' node/index.d.ts; then
  die "node/index.d.ts says any (above)"
fi
# The types a server is written against compile under tsc --strict (node/tests/types/usage.ts).
node/node_modules/.bin/tsc -p node/tests/types/tsconfig.json || die "the addon's TypeScript types do not check"
log "TypeScript: node/tests/types/usage.ts checks under --strict"
node -e 'const a = require("./node"); if (typeof a.version() !== "string") process.exit(1)' \
  || die "node/index.js does not load $binary"
log "$binary $(stat -c %s "$binary") bytes, node/index.d.ts $(wc -l < node/index.d.ts) lines"
