import { MemoryGit } from './git';
import {
  MemoryRecord,
  Ontology,
  ONTOLOGY_FILE,
  parseOntology,
  parseRecord,
  RecordIssue,
  validateRecords,
} from './ontology';

const SNAPSHOTS_KEPT = 8;

interface ParsedFile {
  record?: MemoryRecord;
  errors: RecordIssue[];
}

/** The memory at one commit: its records, its ontology and everything wrong with them. */
export interface MemorySnapshot {
  commit: string;
  records: Map<string, MemoryRecord>;
  /** Record id of each Markdown file that parsed. */
  idOfPath: Map<string, string>;
  ontology?: Ontology;
  /** Unparseable files, ontology errors and records that break the ontology. */
  issues: RecordIssue[];
  /** How it was built: from scratch, or from another commit's snapshot and the files changed since. */
  build: { from?: string; filesRead: number; ms: number };
  parsed: Map<string, ParsedFile>;
  ontologyParse: { ontology?: Ontology; errors: RecordIssue[] };
}

/**
 * Builds snapshots of a memory repository per commit and keeps the last few. A snapshot of a
 * new commit starts from the newest one built and re-reads only the files that changed in
 * between (git diff), so a repository that moves by a commit re-indexes what the commit touched.
 */
export class MemoryIndex {
  readonly #git: MemoryGit;
  readonly #snapshots = new Map<string, Promise<MemorySnapshot>>();
  #newest?: MemorySnapshot;

  constructor(git: MemoryGit) {
    this.#git = git;
  }

  /** The newest snapshot built, if any. */
  get newest(): MemorySnapshot | undefined {
    return this.#newest;
  }

  at(commit: string): Promise<MemorySnapshot> {
    let snapshot = this.#snapshots.get(commit);
    if (!snapshot) {
      snapshot = this.#build(commit);
      this.#snapshots.set(commit, snapshot);
      snapshot.catch(() => this.#snapshots.delete(commit));
      while (this.#snapshots.size > SNAPSHOTS_KEPT) {
        this.#snapshots.delete(this.#snapshots.keys().next().value!);
      }
    } else {
      // Most recently used last.
      this.#snapshots.delete(commit);
      this.#snapshots.set(commit, snapshot);
    }
    return snapshot;
  }

  async #build(commit: string): Promise<MemorySnapshot> {
    const started = performance.now();
    const base = this.#newest;
    const parsed = new Map(base?.parsed);
    let ontologyParse = base?.ontologyParse;
    let toRead: string[];
    if (base) {
      toRead = [];
      for (const change of await this.#git.changedFiles(base.commit, commit)) {
        if (change.status === 'deleted') {
          parsed.delete(change.path);
          if (change.path === ONTOLOGY_FILE) ontologyParse = undefined;
        } else if (isMemoryFile(change.path)) {
          toRead.push(change.path);
        }
      }
    } else {
      toRead = (await this.#git.listFiles(commit)).filter(isMemoryFile);
    }
    const texts = await this.#git.readFiles(commit, toRead);
    for (const [path, text] of texts) {
      if (path === ONTOLOGY_FILE) {
        ontologyParse = parseOntology(text);
      } else {
        parsed.set(path, parseRecord(path, text));
      }
    }
    ontologyParse ??= {
      errors: [
        {
          file: ONTOLOGY_FILE,
          field: '',
          message: `the memory has no ${ONTOLOGY_FILE}; records cannot be checked`,
        },
      ],
    };
    const snapshot = assemble(commit, parsed, ontologyParse);
    snapshot.build = {
      from: base?.commit,
      filesRead: texts.size,
      ms: performance.now() - started,
    };
    if (!this.#newest || base === this.#newest) {
      this.#newest = snapshot;
    }
    return snapshot;
  }
}

function isMemoryFile(path: string): boolean {
  return path.endsWith('.md') || path === ONTOLOGY_FILE;
}

function assemble(
  commit: string,
  parsed: Map<string, ParsedFile>,
  ontologyParse: MemorySnapshot['ontologyParse'],
): MemorySnapshot {
  const records = new Map<string, MemoryRecord>();
  const idOfPath = new Map<string, string>();
  const issues: RecordIssue[] = [...ontologyParse.errors];
  const all: MemoryRecord[] = [];
  for (const [path, file] of parsed) {
    issues.push(...file.errors);
    if (!file.record) continue;
    all.push(file.record);
    idOfPath.set(path, file.record.id);
    // The first file wins a duplicate id; validation reports the duplicate.
    if (!records.has(file.record.id)) records.set(file.record.id, file.record);
  }
  if (ontologyParse.ontology) {
    issues.push(...validateRecords(ontologyParse.ontology, all));
  }
  return {
    commit,
    records,
    idOfPath,
    ontology: ontologyParse.ontology,
    issues,
    build: { filesRead: 0, ms: 0 },
    parsed,
    ontologyParse,
  };
}
