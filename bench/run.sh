#!/usr/bin/env bash
# Runs a benchmark from bench/ with the project's Node and TypeScript transform:
#   bench/run.sh run-list --dialect pg --rows 1000000
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/toolchain.sh"
krate_setup
name="$1"
shift
cd "$KRATE_ROOT"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
exec node --require @backstage/cli/config/nodeTransform.cjs "bench/$name.ts" "$@"
