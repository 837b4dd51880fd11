import { PendingMemoryUpdates, StaleMemoryRecord } from './memoryUpdateTypes';

/**
 * The point in time a memory read is about: a branch, tag or commit (`ref`), a tag, or the
 * branch as it was at an ISO time with a zone (`at`). None of them means the branch head.
 * @public
 */
export interface MemoryAt {
  ref?: string;
  tag?: string;
  at?: string;
}

/** The explicit commit a memory read was answered at, and what it was resolved from. @public */
export interface MemoryResolvedCommit {
  /** Full commit id. */
  commit: string;
  /** What was resolved, e.g. `main`, `v1`, `main@2026-12-04T10:00:00Z`. */
  ref: string;
  /** Committer time, ISO 8601 in UTC. */
  committedAt: string;
}

/** One problem with a file of the memory repository. @public */
export interface MemoryIssue {
  file: string;
  /** Where in the file, e.g. `edges.depends-on[0]`. */
  field: string;
  message: string;
  line?: number;
}

/** `GET /memory`: an org's memory at one commit. @public */
export interface MemoryStatus {
  org: string;
  branch?: string;
  resolved: MemoryResolvedCommit;
  /** The branch head now; differs from `resolved.commit` for a read in the past. */
  head?: string;
  records: number;
  recordsByKind: Record<string, number>;
  ontology: {
    valid: boolean;
    nodeKinds: string[];
    edgeKinds: string[];
    issues: MemoryIssue[];
  };
  index: {
    commit: string;
    /** Whether the index is of the branch head. */
    fresh: boolean;
    /** The commit the index was built from incrementally, if it was. */
    builtFrom?: string;
    filesRead: number;
    ms: number;
  };
  /** Searches whose answers left out records the reader may not see, since the backend started. */
  deniedQueries: number;
  /** Records whose sources changed after their review; absent from older backends. */
  stale?: StaleMemoryRecord[];
  /** Open proposals by phase; absent from older backends. */
  pendingUpdates?: PendingMemoryUpdates;
}

/** What `GET /memory/search` looks for. @public */
export interface MemorySearchQuery {
  /** The text, or a pattern when `regex` is set. */
  q: string;
  regex?: boolean;
  ignoreCase?: boolean;
  /** Only files under this path prefix. */
  path?: string;
  /** Only records of these kinds. */
  kinds?: string[];
  limit?: number;
}

/** A record a search result or graph node is part of. @public */
export interface MemoryRecordRef {
  id: string;
  kind: string;
  title: string;
}

/** One matching line. @public */
export interface MemorySearchResult {
  path: string;
  line: number;
  text: string;
  /** `<path>@<commit>#L<line>`. */
  citation: string;
  /** Absent for a match outside any record, such as in `ontology.yaml`. */
  record?: MemoryRecordRef;
}

/** `GET /memory/search`. @public */
export interface MemorySearchAnswer {
  resolved: MemoryResolvedCommit;
  commit: string;
  results: MemorySearchResult[];
  /** Matches left out because the reader may not see their records. */
  withheld: number;
  /** More matches were found than the limit. */
  truncated: boolean;
}

/** What `GET /memory/graph` draws. @public */
export interface MemoryGraphQuery {
  /** Only nodes of these kinds (the `around` record is always kept). */
  kinds?: string[];
  /** Only the neighbourhood of this record id. */
  around?: string;
  /** How many edges out from `around`, 1 to 5. */
  depth?: number;
}

/** @public */
export interface MemoryGraphNode extends MemoryRecordRef {
  path: string;
  owner?: string;
  repositories: string[];
}

/** @public */
export interface MemoryGraphEdge {
  from: string;
  to: string;
  /** A front-matter edge kind such as `depends-on`, or `links-to` for a body link. */
  kind: string;
}

/** `GET /memory/graph`. @public */
export interface MemoryGraph {
  resolved: MemoryResolvedCommit;
  commit: string;
  nodes: MemoryGraphNode[];
  edges: MemoryGraphEdge[];
  /** Records left out because the reader may not see them. */
  withheld: number;
}

/** One Markdown record of the memory, as parsed. @public */
export interface MemoryRecord extends MemoryRecordRef {
  path: string;
  owner?: string;
  repositories: string[];
  /** `org`, or `team:<entity ref>` for a record only that team may read. */
  visibility: string;
  /** ISO date of the last review. */
  reviewed?: string;
  sources: string[];
  /** Target record ids by edge kind. */
  edges: Record<string, string[]>;
  /** Record ids the body links to. */
  links: string[];
  fields: Record<string, unknown>;
  body: string;
  bodyLineOffset: number;
}

/** `GET /memory/records`. @public */
export interface MemoryRecordAnswer {
  resolved: MemoryResolvedCommit;
  record: MemoryRecord;
  /** The whole file. */
  content: string;
  /** `<path>@<commit>`. */
  citation: string;
  issues: MemoryIssue[];
}
