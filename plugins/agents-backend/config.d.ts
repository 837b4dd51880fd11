export interface Config {
  /** Krate Agents. */
  agents?: {
    changeFeed?: {
      /**
       * How many resource versions of changes stay watchable; a watch from an older version is
       * told to list again (410 Expired). Default 100000.
       */
      retainChanges?: number;
    };
  };
}
