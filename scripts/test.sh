#!/usr/bin/env bash
# Runs every check: lint and formatting, type-check, every package's jest tests (stores on SQLite,
# and on PostgreSQL when one answers; Kubernetes mode against the API server double with kubectl), the short chaos run of two replicas (with PostgreSQL) and
# the browser end-to-end tests in headless Chromium against the portal started by scripts/start.sh,
# and the install test (scripts/install-test.sh). Ends with one line totalling every runner.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
krate_setup || exit 1
cd "$KRATE_ROOT"

results="$KRATE_ROOT/test-results"
rm -rf "$results" && mkdir -p "$results"
failed_steps=()

step() {
  local name="$1"
  shift
  krate_log "── $name"
  "$@" || failed_steps+=("$name")
}

source "$KRATE_ROOT/scripts/lib/test-services.sh"
krate_use_postgres_if_reachable
krate_ensure_chromium || failed_steps+=("chromium")
# Debian's kubectl 1.20 drives the Kubernetes API server double in the Kubernetes-mode tests.
krate_ensure_kubectl || failed_steps+=("kubectl")
# The TechDocs browser test builds docs/ with mkdocs.
source "$KRATE_ROOT/scripts/lib/mkdocs.sh"
krate_ensure_mkdocs || failed_steps+=("mkdocs")

step lint npx --no-install backstage-cli repo lint
step prettier npx --no-install prettier --check .
# Not incremental: the API reports below read the declarations it writes, and TypeScript prints
# an inferred union in the order it met its members, which only a whole build makes the same.
step type-check npx --no-install tsc --incremental false
# The published packages' API reports (report*.api.md, from the declarations tsc just wrote)
# must match what is checked in: `npm run build:api-reports` updates them.
step api-reports npm run --silent check:api-reports
step jest env CI=true npx --no-install backstage-cli repo test \
  --json --outputFile="$results/jest.json"
if [ -n "${KRATE_POSTGRES_REACHABLE:-}" ]; then
  # Two replicas on PostgreSQL, one killed with SIGKILL and restarted; bench/chaos.ts checks
  # that nothing was lost or done twice.
  step chaos bench/run.sh chaos --short
fi
if [[ ! " ${failed_steps[*]} " =~ " chromium " ]]; then
  step e2e krate_run_e2e "$results"
  # The packed packages in a fresh create-app app, both frontend systems; tsc above emitted the
  # declarations the package build bundles.
  step install env KRATE_DIST_TYPES_FRESH=1 "$KRATE_ROOT/scripts/install-test.sh"
fi

node "$KRATE_ROOT/scripts/lib/summarize-tests.js" "$results" "${failed_steps[@]}"
