import { MemoryGit } from './git';
import { MemorySnapshot } from './MemoryIndex';
import { canSee, MemoryReader } from './visibility';

/** Matches read from git grep per search; a search that finds more says it was cut. */
const MAX_MATCHES = 10_000;

export interface MemorySearchQuery {
  pattern: string;
  regex?: boolean;
  ignoreCase?: boolean;
  /** Path prefixes or git pathspecs the search is limited to. */
  paths?: string[];
  /** Only records of these kinds. */
  kinds?: string[];
  limit: number;
}

export interface MemorySearchResult {
  path: string;
  line: number;
  text: string;
  /** `<path>@<commit>#L<line>`: where the excerpt is, for good. */
  citation: string;
  record?: { id: string; kind: string; title: string };
}

export interface MemorySearchAnswer {
  commit: string;
  results: MemorySearchResult[];
  /** Matches left out because the reader may not see their records ("denied"). */
  withheld: number;
  /** More matches than `limit` were found. */
  truncated: boolean;
}

/**
 * Searches the Markdown of a snapshot's commit with git grep and answers excerpts with
 * citations. Matches in records the reader may not see are dropped and only counted; matches
 * outside records (ontology.yaml, unparseable files) are kept only when no kind is asked for.
 */
export async function searchMemory(
  git: MemoryGit,
  snapshot: MemorySnapshot,
  reader: MemoryReader,
  query: MemorySearchQuery,
): Promise<MemorySearchAnswer> {
  const matches = await git.grep(snapshot.commit, {
    pattern: query.pattern,
    regex: query.regex,
    ignoreCase: query.ignoreCase,
    paths: query.paths,
    // All of them up to a bound, so that the withheld count is not a page's.
    maxMatches: MAX_MATCHES,
  });
  const kinds = query.kinds?.length ? new Set(query.kinds) : undefined;
  const results: MemorySearchResult[] = [];
  let withheld = 0;
  let truncated = false;
  for (const match of matches) {
    const id = snapshot.idOfPath.get(match.path);
    const record = id === undefined ? undefined : snapshot.records.get(id);
    if (record && !canSee(record, reader)) {
      withheld++;
      continue;
    }
    if (kinds && (!record || !kinds.has(record.kind))) continue;
    if (results.length === query.limit) {
      truncated = true;
      continue;
    }
    results.push({
      path: match.path,
      line: match.line,
      text: match.text,
      citation: `${match.path}@${snapshot.commit}#L${match.line}`,
      ...(record
        ? { record: { id: record.id, kind: record.kind, title: record.title } }
        : {}),
    });
  }
  truncated ||= matches.length >= MAX_MATCHES;
  return { commit: snapshot.commit, results, withheld, truncated };
}
