# shellcheck shell=bash
# Builds the fresh app's frontends and runs its backend, which serves one built app (app-backend,
# `app.packageName`) on one port: no dev server, so each frontend system is one bundle build.

# it_local_config <app dir> <port>: app-config.local.yaml, so the fresh app keeps off the ports of
# this repository's portal (3000, 7007).
it_local_config() {
  cat >"$1/app-config.local.yaml" <<YAML
app:
  baseUrl: http://localhost:$2
backend:
  baseUrl: http://localhost:$2
  listen:
    port: $2
  cors:
    origin: http://localhost:$2
YAML
}

# it_build_frontends <app dir>: both bundles at once, each with its own template's configuration.
it_build_frontends() {
  local dir="$1" new legacy
  (cd "$dir" && npm run build --workspace app >"$IT_WORK/build-app.log" 2>&1) &
  new=$!
  (cd "$dir" && npm run build --workspace app-legacy -- \
    --config "$dir/app-config.legacy.yaml" --config "$dir/app-config.local.yaml" \
    >"$IT_WORK/build-app-legacy.log" 2>&1) &
  legacy=$!
  local status=0
  wait "$new" || { status=1; tail -n 30 "$IT_WORK/build-app.log" >&2; }
  wait "$legacy" || { status=1; tail -n 30 "$IT_WORK/build-app-legacy.log" >&2; }
  return "$status"
}

# it_start_backend <app dir> <port> <log> [--config …]: `npm start --workspace backend`, as the
# generated README says (yarn start); sets IT_BACKEND_PID and waits until every plugin started.
# A plugin that fails to start is a failure even though the backend goes on serving the others.
it_start_backend() {
  local dir="$1" port="$2" log="$3"
  shift 3
  (cd "$dir" && exec setsid npm start --workspace backend -- "$@") >"$log" 2>&1 &
  IT_BACKEND_PID=$!
  local _
  for _ in $(seq 1 360); do
    if grep -q 'startup failed\|threw an error during startup' "$log"; then
      krate_log "a plugin of the fresh app's backend failed to start:"
      grep 'startup failed\|threw an error during startup' "$log" | cut -c1-400 >&2
      return 1
    fi
    grep -q 'Plugin initialization complete' "$log" && return 0
    kill -0 "$IT_BACKEND_PID" 2>/dev/null || break
    sleep 0.5
  done
  krate_log "the fresh app's backend did not start on :$port; the last lines of $log:"
  tail -n 40 "$log" >&2
  return 1
}

# Stops the backend's whole process group (npm, backstage-cli and the backend process).
it_stop_backend() {
  [ -n "${IT_BACKEND_PID:-}" ] || return 0
  kill -TERM -- "-$IT_BACKEND_PID" 2>/dev/null
  wait "$IT_BACKEND_PID" 2>/dev/null
  IT_BACKEND_PID=
}
