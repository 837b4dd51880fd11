import { InputError, isError } from '@backstage/errors';
import { MemorySelection, ResolvedMemory } from '@krate/plugin-agents-common';
import { ResolvedCommit } from '../git';
import { MemorySnapshot } from '../MemoryIndex';
import { MemoryService } from '../MemoryService';
import { excerptOf, recordTextOf } from './memoryExcerpt';
import { MemoryRequester } from './MemoryRequester';
import { MemoryQueryResult, runMemoryQueries } from './runMemoryQueries';

/** What a run's memory selection resolved to: the commit, what it selected, as whom. */
export interface ResolvedRunMemory {
  selection: MemorySelection & { org: string };
  resolved: ResolvedCommit;
  snapshot: ResolvedMemory;
  results: MemoryQueryResult[];
  index: MemorySnapshot;
}

/** One memory part of a context bundle, before redaction. */
export interface MemoryPartSource {
  path: string;
  /** The matched line, for a search excerpt; a whole record has none. */
  line?: number;
  commit: string;
  content: string;
}

/**
 * A run's memory: resolves its selection to a commit and runs its queries there as the
 * requester may see it (at dispatch, and for the composer's preview: one code path), and reads
 * the parts a snapshot's manifest names at its commit (for every attempt of the run).
 */
export class RunMemory {
  constructor(
    private readonly memory: MemoryService | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Resolves a selection; `prefix` is where it sits in the caller's input (`memory.`). The
   * requester's permission is checked first, then the org's memory, the point in time and
   * each query, each refusal naming its field.
   */
  async resolve(options: {
    selection: MemorySelection;
    namespace: string;
    requester: MemoryRequester;
    prefix?: string;
  }): Promise<ResolvedRunMemory> {
    const prefix = options.prefix ?? 'memory.';
    const org = options.selection.org ?? options.namespace;
    const reader = await options.requester.readerFor(org);
    const memory = this.memory;
    if (!memory || !memory.orgs.includes(org)) {
      throw new InputError(`${prefix}org: ${org} has no memory repository`);
    }
    const { ref, tag, at } = options.selection;
    const { resolved, snapshot: index } = await memory
      .snapshot(org, {
        ...(ref !== undefined ? { ref } : {}),
        ...(tag !== undefined ? { tag } : {}),
        ...(at !== undefined ? { at } : {}),
      })
      .catch(error => {
        throw prefixed(error, prefix);
      });
    const queries = options.selection.queries ?? [];
    const results = await runMemoryQueries({
      git: memory.git(org),
      snapshot: index,
      reader,
      queries,
      prefix,
    });
    const withheld = results.reduce((sum, result) => sum + result.withheld, 0);
    if (withheld > 0) memory.noteDenied(org);
    return {
      selection: { ...options.selection, org },
      resolved,
      index,
      results,
      snapshot: {
        org,
        commit: resolved.commit,
        resolvedFrom: resolvedFromOf(options.selection),
        time: this.now().toISOString(),
        manifest: results.flatMap((result, query) =>
          result.items.map(item => ({
            query,
            path: item.path,
            ...(item.id !== undefined ? { id: item.id } : {}),
            ...(item.line !== undefined ? { line: item.line } : {}),
          })),
        ),
        withheld,
      },
    };
  }

  /**
   * The parts a snapshot's manifest names, read at its commit, in manifest order and each
   * once: a record's file (cut at 16 KB), or a search excerpt headed by `path:line`.
   */
  async partsOf(snapshot: ResolvedMemory): Promise<MemoryPartSource[]> {
    const manifest = snapshot.manifest ?? [];
    if (manifest.length === 0) return [];
    if (!this.memory?.orgs.includes(snapshot.org)) {
      throw new Error(
        `The run read the memory of ${snapshot.org} at ${snapshot.commit}, which is no longer configured (agents.memory.orgs)`,
      );
    }
    const texts = await this.memory.git(snapshot.org).readFiles(
      snapshot.commit,
      manifest.map(entry => entry.path),
    );
    const parts: MemoryPartSource[] = [];
    const taken = new Set<string>();
    for (const { path, line } of manifest) {
      const key = line === undefined ? path : `${path}#L${line}`;
      const text = texts.get(path);
      if (taken.has(key) || text === undefined) continue;
      taken.add(key);
      parts.push({
        path,
        commit: snapshot.commit,
        ...(line === undefined
          ? { content: recordTextOf(text) }
          : { line, content: `${path}:${line}\n${excerptOf(text, line)}` }),
      });
    }
    return parts;
  }
}

function resolvedFromOf(selection: MemorySelection): string {
  if (selection.ref !== undefined) return `ref ${selection.ref}`;
  if (selection.tag !== undefined) return `tag ${selection.tag}`;
  if (selection.at !== undefined) return `at ${selection.at}`;
  return 'current';
}

/** MemoryGit names `ref`, `tag` and `at`; the caller's input has them under a prefix. */
function prefixed(error: unknown, prefix: string): unknown {
  if (isError(error) && error.name === 'InputError' && prefix) {
    return new InputError(`${prefix}${error.message}`);
  }
  return error;
}
