import { GitCli } from './GitCli';

/** Where refs fetched on demand (pull request heads, …) are kept in a repository cache. */
export const FETCHED_REFS = 'refs/fetched';

/** A ref resolved in a repository: its commit and, when it names a ref, the full ref name. */
export interface ResolvedRef {
  sha: string;
  refName?: string;
}

/**
 * The names `ref` may stand for, most specific first. A bare repository is a cache of a remote
 * (see RepositoryMirrors): the remote's branches are `refs/remotes/origin/*`, its own
 * `refs/heads/*` are only the working branches of workspaces, so the remote's come first.
 */
function candidates(ref: string, bare: boolean): string[] {
  if (!bare) {
    return ref.startsWith('refs/')
      ? [ref]
      : [ref, `refs/remotes/origin/${ref}`];
  }
  if (ref === 'HEAD') {
    return ['refs/remotes/origin/HEAD'];
  }
  if (ref.startsWith('refs/heads/')) {
    return [`refs/remotes/origin/${ref.slice('refs/heads/'.length)}`];
  }
  if (ref.startsWith('refs/')) {
    return [`${FETCHED_REFS}/${ref.slice('refs/'.length)}`, ref];
  }
  return [`refs/remotes/origin/${ref}`, `refs/tags/${ref}`, ref];
}

/** Resolves a branch, tag, ref or commit to a commit; undefined when it names none. */
export async function resolveRef(
  git: GitCli,
  repository: string,
  ref: string,
): Promise<ResolvedRef | undefined> {
  const bare = await git.isBare(repository);
  for (const candidate of candidates(ref, bare)) {
    let sha: string;
    try {
      sha = await git.revParse(repository, `${candidate}^{commit}`);
    } catch {
      continue;
    }
    const refName = await git
      .fullRefName(repository, candidate)
      .catch(() => undefined);
    return { sha, ...(refName ? { refName } : {}) };
  }
  return undefined;
}
