export interface Config {
  /** Krate Agents. */
  agents?: {
    bootstrap?: {
      /**
       * YAML files or folders of agents resources to create on start when they do not exist yet
       * (existing objects are never overwritten). The embedded demo seeds examples/agents.
       */
      resources?: string[];
    };
    changeFeed?: {
      /**
       * How many resource versions of changes stay watchable; a watch from an older version is
       * told to list again (410 Expired). Default 100000.
       */
      retainChanges?: number;
    };
    workspaces?: {
      /**
       * Directory that agent workspaces (git worktrees) are created under. Workspace actions
       * never create, link for editing or delete anything outside it, and a symlinked root is
       * refused. An AgentWorkspacePolicy's provisioning.root must lie inside it. Default:
       * `$KRATE_DATA_DIR/workspaces`, or `<os tmpdir>/workspaces` without KRATE_DATA_DIR.
       */
      root?: string;
      /**
       * Folders whose git repositories workspaces may be provisioned from; anything else is
       * refused, so an API caller cannot branch from any repository on the host. Default:
       * `$KRATE_DATA_DIR/repositories` (or `<os tmpdir>/repositories`).
       */
      repositoryRoots?: string[];
    };
  };
}
