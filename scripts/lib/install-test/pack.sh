# shellcheck shell=bash
# Builds the published packages the way a release does and packs each into a tarball.

# The packages under plugins/ that are published, in dependency order.
IT_PUBLISHED_PACKAGES=(
  agents-common
  agents-node
  agents-backend
  agents
  search-backend-module-agents
  scaffolder-backend-module-agents
)

# `backstage-cli package build` bundles the type declarations from dist-types/, which the root
# `tsc` emits; scripts/test.sh has just run it (KRATE_DIST_TYPES_FRESH=1), a lone run runs it here.
it_build_packages() {
  if [ -z "${KRATE_DIST_TYPES_FRESH:-}" ]; then
    (cd "$KRATE_ROOT" && npx --no-install tsc) || return 1
  fi
  (cd "$KRATE_ROOT" && npx --no-install backstage-cli repo build)
}

# it_pack_packages <destination>: `npm pack` runs each package's prepack (publishConfig, the config
# schema as JSON) and postpack (restores package.json); each package on its own, so all at once.
it_pack_packages() {
  local destination="$1" package pids=() status=0 i
  mkdir -p "$destination"
  for package in "${IT_PUBLISHED_PACKAGES[@]}"; do
    (cd "$KRATE_ROOT/plugins/$package" &&
      npm pack --silent --pack-destination "$destination" >/dev/null) &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || {
      krate_log "npm pack failed in plugins/${IT_PUBLISHED_PACKAGES[$i]}"
      status=1
    }
  done
  return "$status"
}

it_check_tarball() {
  node "$KRATE_ROOT/scripts/lib/install-test/check-tarball.js" "$1"
}
