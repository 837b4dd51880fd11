#!/usr/bin/env bash
# Proves that the published packages install into a fresh Backstage app as the README says:
# builds and packs every package under plugins/ and checks each tarball, publishes them to a local
# registry, creates an app with @backstage/create-app (new and legacy frontend system), follows the
# README's install section word for word with npm, starts the app and checks the agents health
# route, one run of the scripted runtime and the Agents page in Chromium, for both systems.
# Writes test-results/install-test.json (one entry per check) and screenshots.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
krate_setup || exit 1
for lib in report pack registry fresh-app serve; do
  source "$KRATE_ROOT/scripts/lib/install-test/$lib.sh"
done

results="$KRATE_ROOT/test-results"
mkdir -p "$results/screenshots"
IT_WORK="$(mktemp -d "$(it_work_parent)/krate-install-test.XXXXXX")"
IT_RESULTS_TSV="$IT_WORK/results.tsv"
: >"$IT_RESULTS_TSV"
app="$IT_WORK/fresh"
started="$(it_now)"

finish() {
  it_stop_backend
  it_stop_registry
  it_write_report "$results/install-test.json" "$(($(it_now) - started))"
  if [ -n "${KRATE_INSTALL_TEST_KEEP:-}" ]; then
    krate_log "install test: kept $IT_WORK"
  else
    rm -rf "$IT_WORK"
  fi
}
trap finish EXIT

# Off the portal's ports (3000, 7007); another free one when 7300 is taken.
port="${KRATE_INSTALL_TEST_PORT:-7300}"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  port="$(it_free_port)"
fi

# run_readme_commands <workspace>: the README's `npm install --workspace <workspace> …` lines.
run_readme_commands() {
  local workspace="$1" commands command ran=
  commands="$(node "$KRATE_ROOT/scripts/lib/install-test/readme-steps.js" commands)" || return 1
  while IFS= read -r command; do
    # The legacy app is the second app of the monorepo, so its workspace is app-legacy.
    [ "$workspace" = app-legacy ] && command="${command/--workspace app /--workspace app-legacy }"
    case "$command" in
      *"--workspace $workspace "*) ;;
      *) continue ;;
    esac
    krate_log "  $command"
    (cd "$app" && eval "$command --no-audit --no-fund --loglevel=error") || return 1
    ran=1
  done <<<"$commands"
  [ -n "$ran" ] || krate_log "the README's install section has no npm install for the $workspace workspace"
  [ -n "$ran" ]
}

# The existing app the README's steps start from. Cached package data is used without asking the
# registry again whether it changed (the @krate packages are not involved yet).
install_fresh_app() {
  (cd "$app" && npm install --prefer-offline --no-audit --no-fund --loglevel=error)
}

follow_readme() {
  # Where the user's npm finds the @krate packages: here, the local registry.
  echo "@krate:registry=$IT_REGISTRY_URL" >>"$app/.npmrc"
  run_readme_commands backend && run_readme_commands app && run_readme_commands app-legacy &&
    node "$KRATE_ROOT/scripts/lib/install-test/readme-steps.js" backend "$app" &&
    node "$KRATE_ROOT/scripts/lib/install-test/readme-steps.js" legacy "$app"
}

# check_system <new|legacy> [backend --config …]
check_system() {
  local which="$1" system="$1 frontend system" base="http://localhost:$port"
  local screenshot="$results/screenshots/install-$1-frontend-system.png" log="$IT_WORK/backend-$1.log"
  shift
  it_check "$system: backend starts" it_start_backend "$app" "$port" "$log" "$@" &&
    it_check "$system: agents health route" node "$KRATE_ROOT/scripts/lib/install-test/check-app.js" health "$base" &&
    it_check "$system: one scripted run succeeds" node "$KRATE_ROOT/scripts/lib/install-test/check-app.js" run "$base" &&
    { [ "$which" != new ] || ! grep -q "plugin-scaffolder-backend-module-agents" "$app/packages/backend/src/index.ts" ||
      it_check "the scaffolder lists the agents actions" node "$KRATE_ROOT/scripts/lib/install-test/check-app.js" scaffolder-actions "$base"; } &&
    it_check "$system: Agents page in Chromium" node "$KRATE_ROOT/scripts/lib/install-test/check-app.js" page "$base" "$screenshot"
  local status=$?
  it_stop_backend
  return "$status"
}

local_registry() {
  it_start_registry "$IT_WORK/registry" && it_publish_tarballs "$IT_WORK/tarballs"
}

main() {
  it_check "build the published packages" it_build_packages || return 1
  it_check "npm pack the published packages" it_pack_packages "$IT_WORK/tarballs" || return 1
  local tarball failed=
  for tarball in "$IT_WORK"/tarballs/*.tgz; do
    it_check "tarball $(basename "$tarball")" it_check_tarball "$tarball" || failed=1
  done
  [ -z "$failed" ] || return 1
  it_check "publish to a local registry" local_registry || return 1
  it_check "create-app $IT_CREATE_APP_VERSION, both frontend systems, set up for npm" it_fresh_app "$app" || return 1
  it_check "npm install of the fresh app" install_fresh_app || return 1
  it_check "the README's install steps" follow_readme || return 1
  it_local_config "$app" "$port"
  printf 'app:\n  packageName: app-legacy\n' >"$IT_WORK/serve-legacy.yaml"
  it_check "build both frontends" it_build_frontends "$app" || return 1
  local status=0
  check_system new || status=1
  check_system legacy \
    --config "$app/app-config.legacy.yaml" --config "$app/app-config.local.yaml" \
    --config "$IT_WORK/serve-legacy.yaml" || status=1
  return "$status"
}

mkdir -p "$IT_WORK"
main
status=$?
krate_log "install test: $(grep -c '^passed' "$IT_RESULTS_TSV") checks passed, $(grep -c '^failed' "$IT_RESULTS_TSV") failed in $(($(it_now) - started)) s"
exit "$status"
