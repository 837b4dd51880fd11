# shellcheck shell=bash
# The portal builds the repository's TechDocs (mkdocs.yml, docs/) with the mkdocs on PATH, with the
# Material theme; both come from Debian's mkdocs and mkdocs-material packages.

krate_has_mkdocs() {
  # mkdocs lists the themes it can load in its --theme choices.
  command -v mkdocs >/dev/null 2>&1 && mkdocs build --help 2>/dev/null | grep -q '\bmaterial\b'
}

krate_ensure_mkdocs() {
  if krate_has_mkdocs; then
    return 0
  fi
  if [ "$(id -u)" = 0 ]; then
    krate_log "installing Debian's mkdocs and mkdocs-material for the TechDocs build"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mkdocs mkdocs-material; } >/dev/null ||
      krate_log "apt-get install mkdocs mkdocs-material failed"
  fi
  if ! krate_has_mkdocs; then
    krate_log "no mkdocs with the Material theme: the Docs tab cannot build the TechDocs; install Debian's mkdocs and mkdocs-material packages (apt-get install mkdocs mkdocs-material)"
    return 1
  fi
}
