import { TRUST_TIERS } from '@krate/plugin-agents-common';
import { GitCli } from './GitCli';
import { FETCHED_REFS, ResolvedRef } from './resolveRef';

/** One of TRUST_TIERS. */
export type TrustTier = (typeof TRUST_TIERS)[number];

const FORKED = [
  /^refs\/pull\//,
  /^refs\/merge-requests\//,
  new RegExp(`^${FETCHED_REFS}/(pull|merge-requests)/`),
];

/** The lower of two tiers: `trusted` above `untrusted` above `forked`. */
export function lowerTrust(a: TrustTier, b: TrustTier | undefined): TrustTier {
  const order: TrustTier[] = ['forked', 'untrusted', 'trusted'];
  return b !== undefined && order.indexOf(b) < order.indexOf(a) ? b : a;
}

/**
 * How far the code at a resolved ref is trusted. Pull and merge request heads may come from
 * forks: `forked`. The repository's own branches and tags, and commits they contain, are
 * `trusted`. Anything else (a commit no branch or tag holds) is `untrusted`. The working branches
 * of workspaces never count: agents wrote them, possibly in untrusted work.
 */
export async function refTrust(options: {
  git: GitCli;
  repository: string;
  resolved: ResolvedRef;
  /** Full names of the working branches workspaces of this repository were given. */
  workspaceBranches: Set<string>;
}): Promise<TrustTier> {
  const { git, repository, resolved, workspaceBranches } = options;
  if (resolved.refName && FORKED.some(p => p.test(resolved.refName!))) {
    return 'forked';
  }
  const bare = await git.isBare(repository);
  const trustedPatterns = bare
    ? ['refs/remotes/origin', 'refs/tags']
    : ['refs/heads', 'refs/tags', 'refs/remotes/origin'];
  const isTrustedRef = (name: string) =>
    trustedPatterns.some(p => name.startsWith(`${p}/`)) &&
    !workspaceBranches.has(name);
  if (resolved.refName && isTrustedRef(resolved.refName)) {
    return 'trusted';
  }
  const holders = await git.refsContaining(
    repository,
    resolved.sha,
    trustedPatterns,
  );
  return holders.some(isTrustedRef) ? 'trusted' : 'untrusted';
}
