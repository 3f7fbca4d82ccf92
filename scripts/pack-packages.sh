#!/usr/bin/env bash
# Packs the npm packages as a user installs them, into target/packages (or --out DIR):
#   crous-till-node-<version>.tgz                 the addon's JS loader (napi's index.js) and types;
#   crous-till-node-<platform>-<version>.tgz      this machine's binary (napi's platform package,
#                                                 node/npm/<platform>);
#   crous-till-wasm-<version>.tgz                 the browser package (wasm/pkg).
#   bash scripts/pack-packages.sh [--out DIR] [node] [wasm]     (both when neither is named)
# Needs scripts/build-node-addon.sh (node) and scripts/build-wasm-package.sh (wasm) to have run.
# Refuses a package that is private, or that carries sources, tests or an unstripped binary.
set -euo pipefail

log() { printf '[pack-packages] %s\n' "$*"; }
die() { printf '[pack-packages] ERROR: %s\n' "$*" >&2; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
out=target/packages
packages=()
while (($#)); do
  case $1 in
    --out) out=$2; shift 2 ;;
    node | wasm) packages+=("$1"); shift ;;
    *) die "unknown argument: $1 (usage: [--out DIR] [node] [wasm])" ;;
  esac
done
((${#packages[@]})) || packages=(node wasm)
OUT=$(mkdir -p "$out" && cd "$out" && pwd)

dirs=()
for package in "${packages[@]}"; do
  if [[ $package == node ]]; then
    binary=$(ls node/crous_till.*.node 2>/dev/null | head -n 1)
    [[ -n "$binary" && -f node/index.js ]] || die "no addon build: run scripts/build-node-addon.sh"
    platform=$(basename "$binary" .node); platform=${platform#crous_till.}
    [[ -d node/npm/$platform ]] || die "no platform package node/npm/$platform for $binary (napi create-npm-dirs)"
    file "$binary" | grep -q 'not stripped' && die "$binary is not stripped"
    cp "$binary" "node/npm/$platform/"
    dirs+=("node/npm/$platform" node)
  else
    [[ -f wasm/pkg/package.json ]] || die "no browser package: run scripts/build-wasm-package.sh"
    dirs+=(wasm/pkg)
  fi
done

for dir in "${dirs[@]}"; do
  node -e 'if (require(process.argv[1]).private) process.exit(1)' "$ROOT/$dir/package.json" || die "$dir/package.json is private"
  tarball=$(cd "$dir" && npm pack --silent --pack-destination "$OUT")
  listing=$(tar -tzf "$OUT/$tarball")
  # (wasm-bindgen's snippets keep the crate's src/ path: they are the package's own JS.)
  if grep -v '^package/snippets/' <<<"$listing" | grep -E '\.rs$|Cargo\.toml|/tests?/|/bench/|/src/|/examples/'; then die "$tarball carries files users do not need (above)"; fi
  log "$tarball: $(stat -c %s "$OUT/$tarball") bytes, $(wc -l <<<"$listing") files"
done
