# shellcheck shell=bash
# What scripts/test.sh needs besides node_modules: PostgreSQL for the store tests, Debian's
# Chromium for the browser tests, and a portal to drive.

# Points the PostgreSQL store-test variants at a server, when one answers. KRATE_TEST_POSTGRES_URL
# overrides the default of the local server (trust auth as postgres).
krate_use_postgres_if_reachable() {
  # Docker is never an option here; TestDatabases would otherwise try it whenever CI is set.
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  local url="${KRATE_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432}"
  local major
  major="$(KRATE_PG_URL="$url" node -e '
    const { Client } = require("pg");
    const client = new Client({ connectionString: process.env.KRATE_PG_URL + "/postgres", connectionTimeoutMillis: 3000 });
    client.connect()
      .then(() => client.query("show server_version_num"))
      .then(r => { console.log(Math.floor(Number(r.rows[0].server_version_num) / 10000)); return client.end(); })
      .catch(() => process.exit(1));
  ' 2>/dev/null)"
  if [ -n "$major" ]; then
    export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=$url"
    export KRATE_POSTGRES_REACHABLE=1
    krate_log "PostgreSQL $major answers at $url: store tests run on SQLite and PostgreSQL"
  else
    krate_log "NOTICE: no PostgreSQL answers at $url: PostgreSQL store-test variants are skipped"
  fi
}

krate_ensure_chromium() {
  KRATE_CHROMIUM="${KRATE_CHROMIUM:-$(command -v chromium || true)}"
  if [ -z "$KRATE_CHROMIUM" ] && [ "$(id -u)" = 0 ]; then
    krate_log "installing Debian's chromium for the browser tests"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null ||
      krate_log "apt-get install chromium failed"
    KRATE_CHROMIUM="$(command -v chromium || true)"
  fi
  if [ -z "$KRATE_CHROMIUM" ]; then
    krate_log "no chromium: install Debian's chromium package (apt-get install chromium) or set KRATE_CHROMIUM"
    return 1
  fi
  export KRATE_CHROMIUM
}

# Debian's kubectl 1.20 for the Kubernetes API server double's tests, extracted (not installed: it
# would conflict with /usr/bin/kubectl) into the user's cache.
krate_ensure_kubectl() {
  if [ -n "${KRATE_KUBECTL:-}" ]; then
    export KRATE_KUBECTL
    return 0
  fi
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/krate/kubectl-1.20"
  if [ ! -x "$cache/usr/bin/kubectl" ]; then
    krate_log "extracting Debian's kubernetes-client (kubectl 1.20) into $cache"
    local download
    download="$(mktemp -d)"
    if (cd "$download" && apt-get download -qq kubernetes-client >/dev/null 2>&1) &&
      mkdir -p "$cache" && dpkg-deb -x "$download"/kubernetes-client_*.deb "$cache"; then
      :
    else
      krate_log "apt-get download kubernetes-client failed: set KRATE_KUBECTL to a kubectl 1.20"
      rm -rf "$download"
      return 1
    fi
    rm -rf "$download"
  fi
  export KRATE_KUBECTL="$cache/usr/bin/kubectl"
  krate_log "kubectl for the Kubernetes double: $("$KRATE_KUBECTL" version --client --short 2>/dev/null || echo "$KRATE_KUBECTL")"
}

krate_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts the portal with scripts/start.sh on a fresh data directory, runs playwright against it,
# and stops it again.
krate_run_e2e() {
  local results="$1" port
  for port in 3000 7007; do
    if krate_port_in_use "$port"; then
      krate_log "port $port is taken: stop the running portal before the browser tests"
      return 1
    fi
  done
  local data log
  data="$(mktemp -d)"
  log="$results/portal.log"
  KRATE_DATA_DIR="$data" setsid "$KRATE_ROOT/scripts/start.sh" >"$log" 2>&1 &
  local portal=$!
  local ready=
  for _ in $(seq 1 300); do
    if curl -fs -o /dev/null http://localhost:7007/api/agents/health &&
      curl -fs -o /dev/null http://localhost:3000; then
      ready=1
      break
    fi
    kill -0 "$portal" 2>/dev/null || break
    sleep 1
  done
  local status=1
  if [ -n "$ready" ]; then
    npx --no-install playwright test
    status=$?
  else
    krate_log "the portal did not come up; the last lines of $log:"
    tail -n 40 "$log" >&2
  fi
  kill -TERM -- "-$portal" 2>/dev/null
  wait "$portal" 2>/dev/null
  rm -rf "$data"
  return "$status"
}
