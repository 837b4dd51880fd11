import { NotFoundError } from '@backstage/errors';
import { MemoryGit, ResolvedCommit } from './git';
import { MemoryIndex, MemorySnapshot } from './MemoryIndex';
import { PendingUpdateCounts } from './context/pendingUpdates';
import {
  StaleRecord,
  StaleRecords,
  StaleReport,
  UnknownSource,
} from './context/StaleRecords';

/** Where an org's memory repository is. */
export interface MemorySource {
  org: string;
  /** A git repository (bare or with a work tree) on this machine. */
  repositoryPath: string;
  branch?: string;
}

/** A read's point in time: a branch, tag or commit, or the branch as it was at a time. */
export interface MemoryAt {
  ref?: string;
  tag?: string;
  at?: string;
}

export interface MemoryStatus {
  org: string;
  branch?: string;
  /** The commit this answer is about, and how the request's ref/tag/at resolved to it. */
  resolved: ResolvedCommit;
  /** The branch's head now; differs from resolved.commit for a read in the past. */
  head?: string;
  records: number;
  recordsByKind: Record<string, number>;
  ontology: {
    valid: boolean;
    nodeKinds: string[];
    edgeKinds: string[];
    issues: { file: string; field: string; message: string; line?: number }[];
  };
  index: {
    commit: string;
    fresh: boolean;
    builtFrom?: string;
    filesRead: number;
    ms: number;
  };
  /** Searches whose answers left out records the reader may not see, since the start. */
  deniedQueries: number;
  /** Records whose sources changed after they were reviewed (at the resolved commit). */
  stale?: StaleRecord[];
  /** Sources whose history could not be read, so their records may be stale. */
  unknownSources?: UnknownSource[];
  /** Proposed updates waiting for a review, a merge or a rebase. */
  pendingUpdates?: PendingUpdateCounts;
}

export interface MemoryServiceOptions {
  /** Finds stale records; without it the status tells none. */
  staleRecords?: StaleRecords;
  /** Counts an org's pending updates; without it the status tells none. */
  pendingUpdates?: (org: string) => Promise<PendingUpdateCounts>;
}

/** Each org's memory: where it is, its index, and reads resolved to an explicit commit first. */
export class MemoryService {
  readonly #orgs = new Map<
    string,
    { source: MemorySource; git: MemoryGit; index: MemoryIndex }
  >();
  readonly #deniedQueries = new Map<string, number>();
  readonly #options: MemoryServiceOptions;

  constructor(sources: MemorySource[], options: MemoryServiceOptions = {}) {
    this.#options = options;
    for (const source of sources) {
      const git = new MemoryGit(source.repositoryPath, {
        branch: source.branch,
      });
      this.#orgs.set(source.org, { source, git, index: new MemoryIndex(git) });
    }
  }

  get orgs(): string[] {
    return [...this.#orgs.keys()];
  }

  #memory(org: string) {
    const memory = this.#orgs.get(org);
    if (!memory) {
      throw new NotFoundError(`org ${org} has no memory repository configured`);
    }
    return memory;
  }

  git(org: string): MemoryGit {
    return this.#memory(org).git;
  }

  /** Where the org's memory repository is. */
  source(org: string): MemorySource {
    return this.#memory(org).source;
  }

  /** The head of the org's memory branch now. */
  head(org: string): Promise<string | undefined> {
    const memory = this.#memory(org);
    return memory.git.headOf(memory.source.branch);
  }

  /** The stale records of a snapshot of the org's memory; none without a stale finder. */
  async staleOf(org: string, snapshot: MemorySnapshot): Promise<StaleReport> {
    return (
      (await this.#options.staleRecords?.of(org, snapshot)) ?? {
        stale: [],
        unknown: [],
      }
    );
  }

  /** Resolves the point in time to a commit, then answers the memory at that commit. */
  async snapshot(
    org: string,
    at: MemoryAt = {},
  ): Promise<{ resolved: ResolvedCommit; snapshot: MemorySnapshot }> {
    const memory = this.#memory(org);
    const resolved = await memory.git.resolve(at);
    return { resolved, snapshot: await memory.index.at(resolved.commit) };
  }

  noteDenied(org: string) {
    this.#deniedQueries.set(org, (this.#deniedQueries.get(org) ?? 0) + 1);
  }

  async status(org: string, at: MemoryAt = {}): Promise<MemoryStatus> {
    const memory = this.#memory(org);
    const { resolved, snapshot } = await this.snapshot(org, at);
    const head = await memory.git.headOf(memory.source.branch);
    const [sources, pendingUpdates] = await Promise.all([
      this.#options.staleRecords?.of(org, snapshot),
      this.#options.pendingUpdates?.(org),
    ]);
    const recordsByKind: Record<string, number> = {};
    for (const record of snapshot.records.values()) {
      recordsByKind[record.kind] = (recordsByKind[record.kind] ?? 0) + 1;
    }
    return {
      org,
      ...(memory.source.branch ? { branch: memory.source.branch } : {}),
      resolved,
      ...(head ? { head } : {}),
      records: snapshot.records.size,
      recordsByKind,
      ontology: {
        valid: snapshot.issues.length === 0,
        nodeKinds: [...(snapshot.ontology?.nodeKinds.keys() ?? [])],
        edgeKinds: [...(snapshot.ontology?.edgeKinds.keys() ?? [])],
        issues: snapshot.issues,
      },
      index: {
        commit: snapshot.commit,
        fresh: snapshot.commit === head,
        ...(snapshot.build.from ? { builtFrom: snapshot.build.from } : {}),
        filesRead: snapshot.build.filesRead,
        ms: Math.round(snapshot.build.ms),
      },
      deniedQueries: this.#deniedQueries.get(org) ?? 0,
      ...(sources
        ? { stale: sources.stale, unknownSources: sources.unknown }
        : {}),
      ...(pendingUpdates ? { pendingUpdates } : {}),
    };
  }
}
