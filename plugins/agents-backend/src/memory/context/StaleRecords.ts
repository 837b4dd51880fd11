import { parseAgentsRepositoryRef } from '@krate/plugin-agents-common';
import { MemorySnapshot } from '../MemoryIndex';
import { runGit } from '../git/runGit';
import { MemoryRecord } from '../ontology';

/** A record whose source file has a commit after the record was last reviewed. */
export interface StaleRecord {
  id: string;
  path: string;
  reviewed: string;
  /** The source as the record names it: `<org>/<repository>/<path>`. */
  source: string;
  /** Committer time of the newest commit touching the source, ISO 8601. */
  changedAt: string;
  changeCommit: string;
}

/** A source whose history could not be read: reported, never an error. */
export interface UnknownSource {
  id: string;
  path: string;
  source: string;
  reason: string;
}

export interface StaleReport {
  stale: StaleRecord[];
  unknown: UnknownSource[];
}

/** Where a source repository's history is on this machine, and the branch to read. */
export interface SourceRepository {
  path: string;
  branch: string;
}

/** Finds a repository by `<org>/<repository>`; undefined when this machine does not know it. */
export type LocateSourceRepository = (
  name: string,
) => Promise<SourceRepository | undefined>;

const SOURCE = /^([^/]+\/[^/]+)\/(.+)$/;
const REPORTS_KEPT = 32;
const GIT_TIMEOUT_MS = 30_000;
const MAX_OUTPUT = 1024 * 1024;

/**
 * Which records of a memory commit are stale: a record with `reviewed` and `sources` is stale
 * when a source file's repository has a commit touching that path after the reviewed day.
 * Reports are kept per memory commit and source repository heads, so an unchanged memory and
 * unchanged repositories cost one `rev-parse` per repository. A repository that cannot be read
 * makes its sources `unknown`. Nothing is ever removed or hidden for being old.
 */
export class StaleRecords {
  readonly #locate: LocateSourceRepository;
  readonly #reports = new Map<string, Promise<StaleReport>>();

  constructor(locate: LocateSourceRepository) {
    this.#locate = locate;
  }

  async of(org: string, snapshot: MemorySnapshot): Promise<StaleReport> {
    const reviewed = [...snapshot.records.values()].filter(
      record => record.reviewed && record.sources.length > 0,
    );
    const names = new Set<string>();
    for (const record of reviewed) {
      for (const source of record.sources) {
        const parsed = parseSource(source);
        if (parsed) names.add(parsed.repository);
      }
    }
    const heads = new Map<string, RepositoryHead>();
    for (const name of [...names].sort()) {
      heads.set(name, await this.#head(name));
    }
    const key = [
      org,
      snapshot.commit,
      ...[...heads].map(
        ([name, head]) => `${name}=${'commit' in head ? head.commit : '-'}`,
      ),
    ].join('\n');
    let report = this.#reports.get(key);
    if (!report) {
      report = this.#report(reviewed, heads);
      this.#reports.set(key, report);
      report.catch(() => this.#reports.delete(key));
      while (this.#reports.size > REPORTS_KEPT) {
        this.#reports.delete(this.#reports.keys().next().value!);
      }
    }
    return report;
  }

  async #head(name: string): Promise<RepositoryHead> {
    try {
      const repository = await this.#locate(name);
      if (!repository) {
        return { reason: `${name} is not a repository this backend knows` };
      }
      const { stdout, exitCode } = await git(
        repository.path,
        [
          'rev-parse',
          '--verify',
          '--quiet',
          '--end-of-options',
          `${repository.branch}^{commit}`,
        ],
        [0, 1],
      );
      return exitCode === 0
        ? { ...repository, commit: stdout.trim() }
        : { reason: `${name} has no commits on ${repository.branch}` };
    } catch (error) {
      return { reason: `${name} cannot be read: ${String(error)}` };
    }
  }

  async #report(
    records: MemoryRecord[],
    heads: Map<string, RepositoryHead>,
  ): Promise<StaleReport> {
    const report: StaleReport = { stale: [], unknown: [] };
    for (const record of records) {
      const reviewedUntil = endOfReview(record.reviewed!);
      for (const source of record.sources) {
        const unknown = (reason: string) =>
          report.unknown.push({
            id: record.id,
            path: record.path,
            source,
            reason,
          });
        const parsed = parseSource(source);
        if (!parsed) {
          unknown('not <org>/<repository>/<path>');
          continue;
        }
        const head = heads.get(parsed.repository)!;
        if (!('commit' in head)) {
          unknown(head.reason);
          continue;
        }
        const last = await lastChange(head, parsed.path).catch(
          error => `cannot read the history of ${parsed.path}: ${error}`,
        );
        if (typeof last === 'string') {
          unknown(last);
        } else if (!last) {
          unknown(`no commit of ${parsed.repository} touches ${parsed.path}`);
        } else if (Date.parse(last.changedAt) >= reviewedUntil) {
          report.stale.push({
            id: record.id,
            path: record.path,
            reviewed: record.reviewed!,
            source,
            ...last,
          });
        }
      }
    }
    return report;
  }
}

type RepositoryHead =
  | (SourceRepository & { commit: string })
  | { reason: string };

function parseSource(
  source: string,
): { repository: string; path: string } | undefined {
  const match = SOURCE.exec(source);
  if (!match || !parseAgentsRepositoryRef(match[1])) return undefined;
  const segments = match[2].split('/');
  if (segments.some(segment => ['', '.', '..'].includes(segment))) {
    return undefined;
  }
  return { repository: match[1], path: match[2] };
}

/** A date is reviewed through its whole (UTC) day; a time, up to that instant. */
function endOfReview(reviewed: string): number {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(reviewed);
  if (day) {
    return Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + 1);
  }
  return Date.parse(reviewed) + 1;
}

/** The newest commit on the head's branch touching `file`, at the head read just before. */
async function lastChange(
  head: SourceRepository & { commit: string },
  file: string,
): Promise<{ changeCommit: string; changedAt: string } | undefined> {
  const { stdout } = await git(head.path, [
    'log',
    '-1',
    '--format=%H%x09%cI',
    head.commit,
    '--',
    file,
  ]);
  const [commit, date] = stdout.trim().split('\t');
  if (!commit) return undefined;
  return { changeCommit: commit, changedAt: new Date(date).toISOString() };
}

async function git(cwd: string, args: string[], okExitCodes = [0]) {
  const { stdout, exitCode } = await runGit(cwd, args, {
    timeoutMs: GIT_TIMEOUT_MS,
    maxOutputBytes: MAX_OUTPUT,
    okExitCodes,
  });
  return { stdout: stdout.toString('utf8'), exitCode };
}
