#!/usr/bin/env bash
# The crous-till test command: `bash scripts/test.sh` (CI runs exactly this through .ci/run).
#
# Runs every step below in order, each under a section header, and stops with a non-zero exit at
# the first failure. Works on a fresh machine: the first step installs what the later ones need.
#
#   bash scripts/test.sh                 all steps
#   bash scripts/test.sh STEP [STEP...]  only the named steps, in the order given
#   bash scripts/test.sh --list          the step names
#
# Adding a step: write a function `step_<name>` below and add <name> to STEPS, where it belongs.
# A step that starts a background process (a server, pcscd...) registers its clean-up with
# `on_cleanup 'command'`; clean-ups run when the script exits, whatever the outcome.
# A step that runs a test runner other than cargo may add its counts with `add_counts P F S`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# The CLI binary the Node and browser tests start (`cargo build -p crous-till-cli`), wherever
# cargo puts it (CARGO_TARGET_DIR is honoured).
export CROUS_TILL_BIN=${CROUS_TILL_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/crous-till}

STEPS=(
  wasm-toolchain
  pcscd
  cargo-test
  cargo-doctest
  core-crate
  core-wasm
  wasm-package
  wasm-node
  node-addon
  js-api
  browser
  packages
)

# ---------------------------------------------------------------------------------------------
# Steps

step_wasm-toolchain() {
  bash scripts/install-wasm-toolchain.sh
}

# pcscd + libpcsclite-dev + vsmartcard-vpcd: the native bridge links against libpcsclite, so
# `cargo test --workspace` needs it. Its integration tests start (and stop) their own pcscd.
step_pcscd() {
  bash scripts/install-pcscd.sh
}

# Unit, integration and property tests of every workspace crate, plus its examples and benches
# (built, and run once in test mode), with every feature on (core's native-executor tests included).
step_cargo-test() {
  run_cargo_tests cargo test --workspace --all-targets --all-features
}

# Doc tests (`--all-targets` does not include them).
step_cargo-doctest() {
  run_cargo_tests cargo test --workspace --doc
}

# The crate users depend on, as crates.io would take it: `cargo package` (packaged, then built from
# the package alone) and its documentation without a broken link, with the default features (what
# `cargo doc` shows a user) and with every feature (what docs.rs shows).
step_core-crate() {
  RUSTDOCFLAGS="-D warnings" cargo doc -p crous-till-core --no-deps
  RUSTDOCFLAGS="-D warnings" cargo doc -p crous-till-core --no-deps --all-features
  cargo package -p crous-till-core --allow-dirty
}

step_core-wasm() {
  bash scripts/build-core-wasm.sh
}

# The browser package (wasm/pkg): wasm-bindgen-cli and wasm-pack at pinned versions, then the build.
step_wasm-package() {
  bash scripts/install-wasm-pack.sh
  bash scripts/build-wasm-package.sh
}

# The npm package's API, from Node (node --test).
step_wasm-node() {
  run_node_tests wasm/tests/
}

# The Node addon (node/): built with @napi-rs/cli, then its node --test suites against the
# sandbox (the CLI binary, started by the tests on a free port of 127.0.0.1) and a throwaway
# PostgreSQL server on 127.0.0.1 (the store several server processes share).
step_node-addon() {
  cargo build -p crous-till-cli
  bash scripts/build-node-addon.sh
  bash scripts/install-postgres.sh
  local pg_dir
  pg_dir=$(mktemp -d /tmp/crous-till-postgres.XXXXXX)
  CROUS_TILL_POSTGRES_URL=$(bash scripts/start-postgres.sh "$pg_dir")
  export CROUS_TILL_POSTGRES_URL
  on_cleanup "bash scripts/start-postgres.sh --stop '$pg_dir'; rm -rf '$pg_dir'"
  run_node_tests node/tests/
}

# The suites both JavaScript packages must pass alike (tests/js-api/: the browser package and the
# Node addon loaded side by side). Needs the wasm-package and node-addon steps.
step_js-api() {
  run_node_tests tests/js-api/
}

# The till page and the web shop (web-demo/) in Debian's headless Chromium, driven by
# playwright-core (tests/browser/, pinned by its package-lock.json) against `crous-till demo`.
# Needs wasm/pkg (the wasm-package step). Screenshots: target/screenshots/.
step_browser() {
  bash scripts/install-chromium.sh
  cargo build -p crous-till-cli
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
  run_node_tests tests/browser/
}

# The npm packages as users install them (tests/packages/): packed (scripts/pack-packages.sh),
# installed from the tarballs into an empty project outside the repository, and selling against
# the sandbox from Node and from a Vite build in Chromium. Needs the wasm-package, node-addon and
# browser steps (the packages, and playwright-core in tests/browser).
step_packages() {
  npm ci --prefix tests/packages --no-audit --no-fund --loglevel=error
  run_node_tests tests/packages/
}

# ---------------------------------------------------------------------------------------------
# Helpers

PASSED=0
FAILED=0
SKIPPED=0
add_counts() {
  PASSED=$((PASSED + $1))
  FAILED=$((FAILED + $2))
  SKIPPED=$((SKIPPED + ${3:-0}))
}

LOG_DIR=$(mktemp -d)
CLEANUPS=()
on_cleanup() { CLEANUPS+=("$1"); }

# Runs a cargo test command, showing its output, and adds up its "test result:" lines.
run_cargo_tests() {
  local log="$LOG_DIR/cargo-test.log"
  printf '$ %s\n' "$*"
  "$@" 2>&1 | tee "$log"
  local line p f i
  while IFS= read -r line; do
    # test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s
    p=0 f=0 i=0
    [[ "$line" =~ ([0-9]+)\ passed ]] && p=${BASH_REMATCH[1]}
    [[ "$line" =~ ([0-9]+)\ failed ]] && f=${BASH_REMATCH[1]}
    [[ "$line" =~ ([0-9]+)\ ignored ]] && i=${BASH_REMATCH[1]}
    add_counts "$p" "$f" "$i"
  done < <(grep -E '^test result: ' "$log" || true)
}

# Runs `node --test` on the given paths, showing its output, and adds up its pass/fail/skip lines.
run_node_tests() {
  local log="$LOG_DIR/node-test.log" rc=0
  printf '$ node --test %s\n' "$*"
  node --test "$@" 2>&1 | tee "$log" || rc=$?
  local p f s
  p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -n1)
  f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -n1)
  s=$(sed -nE 's/^# skipped ([0-9]+)$/\1/p' "$log" | tail -n1)
  add_counts "${p:-0}" "${f:-0}" "${s:-0}"
  return "$rc"
}

CURRENT_STEP=
STEP_TIMES=()
on_exit() {
  local rc=$?
  local cmd
  for cmd in "${CLEANUPS[@]}"; do
    eval "$cmd" || true
  done
  rm -rf "$LOG_DIR"
  if ((rc != 0)); then
    printf '\n==> FAILED: step "%s" (exit %s)\n' "${CURRENT_STEP:-setup}" "$rc" >&2
  fi
  exit "$rc"
}
trap on_exit EXIT

header() {
  printf '\n'
  printf '=%.0s' {1..96}
  printf '\n==> [%s/%s] %s\n' "$1" "$2" "$3"
  printf '=%.0s' {1..96}
  printf '\n'
}

run_steps() {
  local n=0 total=$# step start
  for step in "$@"; do
    n=$((n + 1))
    CURRENT_STEP=$step
    header "$n" "$total" "$step"
    start=$SECONDS
    "step_$step"
    STEP_TIMES+=("$(printf '%-20s ok  %4ss' "$step" "$((SECONDS - start))")")
  done
  CURRENT_STEP=
}

# ---------------------------------------------------------------------------------------------
# Main

if [[ "${1:-}" == "--list" ]]; then
  printf '%s\n' "${STEPS[@]}"
  exit 0
fi
selected=("$@")
if ((${#selected[@]} == 0)); then
  selected=("${STEPS[@]}")
fi
for step in "${selected[@]}"; do
  declare -F "step_$step" >/dev/null || { echo "unknown step: $step (see --list)" >&2; exit 2; }
done

run_steps "${selected[@]}"

printf '\n==> All steps passed:\n'
printf '    %s\n' "${STEP_TIMES[@]}"
# One plain closing line for whoever reads the end of the log.
printf 'tests: %s passed, %s failed, %s skipped\n' "$PASSED" "$FAILED" "$SKIPPED"
