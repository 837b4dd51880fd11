import { InputError, isError } from '@backstage/errors';
import { MemoryQuery } from '@krate/plugin-agents-common';
import { MemoryGit } from '../git';
import { MemorySnapshot } from '../MemoryIndex';
import { queryGraph } from '../memoryGraph';
import { MemoryRecord } from '../ontology';
import { searchMemory } from '../searchMemory';
import { canSee, MemoryReader } from '../visibility';
import { excerptOf } from './memoryExcerpt';

/** Results per query when the query names no limit. */
export const DEFAULT_QUERY_LIMIT = 10;

/** One thing a query selected: a whole record, or an excerpt around a matched line. */
export interface MemoryQueryItem {
  path: string;
  id?: string;
  kind?: string;
  title?: string;
  /** The matched line, for a search excerpt. */
  line?: number;
  /** The matched line with the lines around it. */
  excerpt?: string;
}

export interface MemoryQueryResult {
  query: MemoryQuery;
  items: MemoryQueryItem[];
  /** What the query would also have selected, left out because the reader may not see it. */
  withheld: number;
}

/**
 * Runs a run's memory queries at one snapshot as the reader may see it. A query's bad input is
 * an InputError naming it (`<prefix>queries[1].pattern`); a record that is missing and one the
 * reader may not see are refused alike, so the refusal does not tell that it exists.
 */
export async function runMemoryQueries(options: {
  git: MemoryGit;
  snapshot: MemorySnapshot;
  reader: MemoryReader;
  queries: MemoryQuery[];
  /** Where the queries are in the input, for error messages: `memory.` or nothing. */
  prefix: string;
}): Promise<MemoryQueryResult[]> {
  const results: MemoryQueryResult[] = [];
  for (const [index, query] of options.queries.entries()) {
    const field = `${options.prefix}queries[${index}]`;
    try {
      results.push(await runQuery(options, query, field));
    } catch (error) {
      throw namedAt(error, field);
    }
  }
  return results;
}

async function runQuery(
  options: { git: MemoryGit; snapshot: MemorySnapshot; reader: MemoryReader },
  query: MemoryQuery,
  field: string,
): Promise<MemoryQueryResult> {
  const { git, snapshot, reader } = options;
  const { commit } = snapshot;
  if (query.type === 'record') {
    const record = snapshot.records.get(query.id);
    if (!record || !canSee(record, reader)) {
      throw new InputError(`${field}.id: no record ${query.id} at ${commit}`);
    }
    return { query, items: [itemOf(record)], withheld: 0 };
  }
  if (query.type === 'graph') {
    const around = query.around;
    if (around !== undefined) {
      const start = snapshot.records.get(around);
      if (!start || !canSee(start, reader)) {
        throw new InputError(
          `${field}.around: no record ${around} at ${commit}`,
        );
      }
    }
    const graphQuery = { kinds: query.kinds, around, depth: query.depth };
    const seen = queryGraph(snapshot, reader, graphQuery).nodes;
    const all = queryGraph(snapshot, allSeeing(snapshot), graphQuery).nodes;
    return {
      query,
      items: seen
        .slice(0, query.limit ?? DEFAULT_QUERY_LIMIT)
        .map(node => itemOf(snapshot.records.get(node.id)!)),
      withheld: all.length - seen.length,
    };
  }
  const answer = await searchMemory(git, snapshot, reader, {
    pattern: query.pattern,
    regex: query.regex,
    ignoreCase: query.ignoreCase,
    paths: query.paths,
    kinds: query.kinds,
    limit: query.limit ?? DEFAULT_QUERY_LIMIT,
  });
  const texts = await git.readFiles(commit, [
    ...new Set(answer.results.map(result => result.path)),
  ]);
  return {
    query,
    items: answer.results.map(result => ({
      path: result.path,
      ...(result.record
        ? {
            id: result.record.id,
            kind: result.record.kind,
            title: result.record.title,
          }
        : {}),
      line: result.line,
      excerpt: texts.has(result.path)
        ? excerptOf(texts.get(result.path)!, result.line)
        : result.text,
    })),
    withheld: answer.withheld,
  };
}

function itemOf(record: MemoryRecord): MemoryQueryItem {
  return {
    path: record.path,
    id: record.id,
    kind: record.kind,
    title: record.title,
  };
}

/** A reader of every team a record of the snapshot is scoped to: what the query could select. */
function allSeeing(snapshot: MemorySnapshot): MemoryReader {
  const teams = new Set<string>();
  for (const record of snapshot.records.values()) {
    if (record.visibility.startsWith('team:')) {
      teams.add(record.visibility.slice('team:'.length));
    }
  }
  return { ownershipRefs: [...teams] };
}

/** An input error of git's (`pattern: …`) names the query's field it came from. */
function namedAt(error: unknown, field: string): unknown {
  if (
    isError(error) &&
    error.name === 'InputError' &&
    !error.message.startsWith(field)
  ) {
    const named = /^([\w.[\]]+): /.exec(error.message);
    return new InputError(
      named ? `${field}.${error.message}` : `${field}: ${error.message}`,
    );
  }
  return error;
}
