# shellcheck shell=bash
# The install test's results: one line per check in $IT_RESULTS_TSV, turned into
# test-results/install-test.json for scripts/lib/summarize-tests.js.

it_now() { date +%s; }

# it_check <name> <command…>: runs the command as one named check and records whether it passed
# and how long it took.
it_check() {
  local name="$1" started status
  shift
  started="$(it_now)"
  krate_log "install test: $name"
  if "$@"; then status=passed; else status=failed; fi
  printf '%s\t%s\t%s\n' "$status" "$(($(it_now) - started))" "$name" >>"$IT_RESULTS_TSV"
  krate_log "install test: $name — $status in $(($(it_now) - started)) s"
  [ "$status" = passed ]
}

it_write_report() {
  node -e '
    const fs = require("node:fs");
    const [tsv, out, seconds] = process.argv.slice(1);
    const checks = fs.readFileSync(tsv, "utf8").split("\n").filter(Boolean).map(line => {
      const [status, secs, ...name] = line.split("\t");
      return { name: name.join("\t"), status, seconds: Number(secs) };
    });
    fs.writeFileSync(out, JSON.stringify({ seconds: Number(seconds), checks }, null, 2) + "\n");
  ' "$IT_RESULTS_TSV" "$1" "$2"
}
