# shellcheck shell=bash
# A local npm registry (verdaccio) on loopback that serves the packed @krate packages, so the
# fresh app installs them by name exactly as the README says. Only the @krate scope is pointed at
# it; every other package comes from the configured registry through the user's npm cache, as it
# would for a user of a private registry for the @krate scope.

IT_VERDACCIO_VERSION="6.10.4"

# Installed once into the user's cache, like the Node toolchain, so the repository's
# package-lock.json stays untouched.
it_ensure_verdaccio() {
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/krate/verdaccio-$IT_VERDACCIO_VERSION"
  IT_VERDACCIO="$dir/node_modules/.bin/verdaccio"
  if [ ! -x "$IT_VERDACCIO" ]; then
    krate_log "installing verdaccio $IT_VERDACCIO_VERSION into $dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
      "verdaccio@$IT_VERDACCIO_VERSION" >/dev/null || return 1
  fi
}

it_free_port() {
  node -e '
    const server = require("node:net").createServer();
    server.listen(0, "127.0.0.1", () => { console.log(server.address().port); server.close(); });
  '
}

# it_start_registry <dir>: sets IT_REGISTRY_URL and IT_REGISTRY_PID.
it_start_registry() {
  local dir="$1" port
  it_ensure_verdaccio || return 1
  port="$(it_free_port)" || return 1
  mkdir -p "$dir/storage"
  cat >"$dir/config.yaml" <<YAML
storage: $dir/storage
auth:
  htpasswd:
    file: $dir/htpasswd
    max_users: 1
packages:
  '@krate/*':
    access: \$all
    publish: \$authenticated
log: { type: stdout, format: pretty, level: warn }
YAML
  "$IT_VERDACCIO" --config "$dir/config.yaml" --listen "127.0.0.1:$port" >"$dir/verdaccio.log" 2>&1 &
  IT_REGISTRY_PID=$!
  IT_REGISTRY_URL="http://127.0.0.1:$port/"
  local _
  for _ in $(seq 1 60); do
    curl -fs -o /dev/null "${IT_REGISTRY_URL}-/ping" && return 0
    kill -0 "$IT_REGISTRY_PID" 2>/dev/null || break
    sleep 0.5
  done
  krate_log "verdaccio did not start:"
  tail -n 20 "$dir/verdaccio.log" >&2
  return 1
}

it_stop_registry() {
  [ -n "${IT_REGISTRY_PID:-}" ] && kill "$IT_REGISTRY_PID" 2>/dev/null && wait "$IT_REGISTRY_PID" 2>/dev/null
  IT_REGISTRY_PID=
}

# it_publish_tarballs <dir of .tgz>: publishes each with `npm publish`, as a release would, all at
# once.
it_publish_tarballs() {
  local token tarball auth pids=() status=0 pid
  token="$(curl -fsS -X PUT -H 'content-type: application/json' \
    -d '{"name":"krate-install-test","password":"krate-install-test"}' \
    "${IT_REGISTRY_URL}-/user/org.couchdb.user:krate-install-test" |
    node -e 'process.stdin.on("data", d => process.stdout.write(JSON.parse(d).token))')" || return 1
  auth="--${IT_REGISTRY_URL#http:}:_authToken=$token"
  for tarball in "$1"/*.tgz; do
    npm publish "$tarball" --registry "$IT_REGISTRY_URL" "$auth" --loglevel=error >/dev/null &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || status=1
  done
  [ "$status" = 0 ] || krate_log "npm publish failed"
  return "$status"
}
