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
  };
}
