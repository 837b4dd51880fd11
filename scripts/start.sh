#!/usr/bin/env bash
# Starts the Krate Agents portal on embedded defaults: the app on http://localhost:3000, the
# backend on http://localhost:7007, guest sign-in, SQLite files under $KRATE_DATA_DIR.
# Installs what it needs first (Node 24 when the system Node is older, npm dependencies).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/mkdocs.sh"
krate_setup
# The portal still starts without mkdocs; only the Docs tab's TechDocs build needs it.
krate_ensure_mkdocs || true

export KRATE_DATA_DIR="${KRATE_DATA_DIR:-$KRATE_ROOT/.data}"
mkdir -p "$KRATE_DATA_DIR/sqlite"
export BROWSER=none

announce_when_ready() {
  for _ in $(seq 1 600); do
    if curl -fs -o /dev/null http://localhost:7007/api/agents/health &&
      curl -fs -o /dev/null http://localhost:3000; then
      krate_log "portal ready: app http://localhost:3000 · backend http://localhost:7007 (health: /api/agents/health)"
      krate_log "data in $KRATE_DATA_DIR · stop with Ctrl-C"
      return
    fi
    sleep 1
  done
}

krate_log "starting the portal (app :3000, backend :7007); data in $KRATE_DATA_DIR; stop with Ctrl-C"
announce_when_ready &
cd "$KRATE_ROOT"
exec npx --no-install backstage-cli repo start
