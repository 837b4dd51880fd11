/** Who may read a record: the whole organisation, or one team given by its entity ref. */
export type RecordVisibility = 'org' | `team:${string}`;

/**
 * One Markdown file of a memory repository, read from its front matter and body. A file without
 * front matter (such as `MEMORY.md`) is a record of kind `document`.
 */
export interface MemoryRecord {
  /** The file's path in the repository, such as `services/payments-api.md`. */
  path: string;
  /** The front matter's `id`, else the path without `.md`, such as `services/payments-api`. */
  id: string;
  kind: string;
  /** The front matter's `title`, else the body's first `# ` heading, else the id. */
  title: string;
  /** An entity ref such as `group:default/payments`. */
  owner?: string;
  /** Entity refs or `<org>/<repo>` slugs. */
  repositories: string[];
  visibility: RecordVisibility;
  /** The ISO date the record was last reviewed. */
  reviewed?: string;
  /** Repository paths or URLs the record summarises. */
  sources: string[];
  /** Target record ids by edge kind, as written in the front matter. */
  edges: Record<string, string[]>;
  /** Ids of the records the body links to (the linked file's path without `.md`), each once. */
  links: string[];
  /** The front matter's other fields. */
  fields: Record<string, unknown>;
  body: string;
  /** How many file lines precede the body: body line n is file line n + bodyLineOffset. */
  bodyLineOffset: number;
}

/** One problem with a file of a memory repository, at a field such as `edges.depends-on[0]`. */
export interface RecordIssue {
  file: string;
  field: string;
  message: string;
  /** The file line, when the problem is a syntax error the parser placed. */
  line?: number;
}

/** A parsed record, when it could be read at all, and every problem found reading it. */
export interface RecordParse {
  record?: MemoryRecord;
  errors: RecordIssue[];
}
