# shellcheck shell=bash
# A fresh Backstage app from @backstage/create-app, both frontend systems in one monorepo:
# packages/app is the default template's app (new frontend system), packages/app-legacy the app of
# `create-app --legacy`, with that template's app-config.yaml kept as app-config.legacy.yaml.

# The create-app whose template is Backstage 1.55.0, the version this repository is on.
IT_CREATE_APP_VERSION="0.9.2"

# Where the fresh app goes: about 2.5 GB of node_modules, which take a minute and more to delete
# from a busy disk and a moment from memory, so /dev/shm when it has room (the install itself is
# CPU-bound, as fast on disk); KRATE_INSTALL_TEST_TMPDIR chooses.
it_work_parent() {
  if [ -n "${KRATE_INSTALL_TEST_TMPDIR:-}" ]; then
    echo "$KRATE_INSTALL_TEST_TMPDIR"
  elif [ -w /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt $((8 * 1024 * 1024)) ]; then
    echo /dev/shm
  else
    echo "${TMPDIR:-/tmp}"
  fi
}

# create-app checks that Yarn is installed before it writes anything; with --skip-install it never
# runs it, and Yarn cannot resolve against our registry, so a stand-in that reports a version does.
it_yarn_stand_in() {
  mkdir -p "$1"
  printf '#!/bin/sh\necho 4.13.0\n' >"$1/yarn"
  chmod +x "$1/yarn"
}

# it_create_app <dir> [--legacy]
it_create_app() {
  local dir="$1"
  shift
  (cd "$(dirname "$dir")" &&
    PATH="$IT_WORK/yarn-stand-in:$PATH" BACKSTAGE_APP_NAME=fresh \
      npx --yes "@backstage/create-app@$IT_CREATE_APP_VERSION" --skip-install \
      --path "$(basename "$dir")" "$@" </dev/null >"$dir.create-app.log" 2>&1) || {
    tail -n 20 "$dir.create-app.log" >&2
    return 1
  }
}

# it_fresh_app <dir>: both templates, merged; checks that the template is Backstage 1.55.
it_fresh_app() {
  local dir="$1"
  it_yarn_stand_in "$IT_WORK/yarn-stand-in"
  it_create_app "$dir" || return 1
  it_create_app "$dir.legacy" --legacy || return 1
  local version repo_version
  version="$(node -p "require('$dir/backstage.json').version")"
  repo_version="$(node -p "require('$KRATE_ROOT/backstage.json').version")"
  if [ "${version%.*}" != "${repo_version%.*}" ]; then
    krate_log "create-app $IT_CREATE_APP_VERSION generates Backstage $version; this repository is on $repo_version"
    return 1
  fi
  mv "$dir.legacy/packages/app" "$dir/packages/app-legacy"
  cp "$dir.legacy/app-config.yaml" "$dir/app-config.legacy.yaml"
  rm -rf "$dir.legacy"
  node "$KRATE_ROOT/scripts/lib/install-test/adapt-for-npm.js" "$dir"
}
