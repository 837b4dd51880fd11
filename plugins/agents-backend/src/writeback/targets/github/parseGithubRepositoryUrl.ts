import { displayableUrl } from '../forge/displayableUrl';

/** A GitHub repository as its remote URL names it. */
export interface GithubRepositoryLocation {
  /** `host[:port]`, as `integrations.github[].host` names it. */
  host: string;
  owner: string;
  repo: string;
  /** `https://<host>/<owner>/<repo>` (the URL's own scheme for http), to look credentials up by. */
  url: string;
}

/**
 * Reads host, owner and repository from a remote URL: `https://host/owner/repo(.git)`,
 * `ssh://git@host/owner/repo.git` or `git@host:owner/repo.git`. Answers a problem for anything
 * else, e.g. a URL with more path than `<owner>/<repo>`.
 */
export function parseGithubRepositoryUrl(
  remote: string,
): GithubRepositoryLocation | { problem: string } {
  let host: string;
  let pathname: string;
  let scheme = 'https:';
  const scpLike = /^[^/@:]+@([^/:]+):(.+)$/.exec(remote);
  if (scpLike) {
    [, host, pathname] = scpLike;
  } else {
    try {
      const parsed = new URL(remote);
      host = parsed.host;
      pathname = parsed.pathname;
      if (parsed.protocol === 'http:') {
        scheme = 'http:';
      }
    } catch {
      return { problem: `${displayableUrl(remote)} is not a URL` };
    }
  }
  const parts = pathname
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/');
  if (!host || parts.length !== 2 || parts.some(part => !part)) {
    return {
      problem: `${displayableUrl(
        remote,
      )} is not a GitHub repository URL (<host>/<owner>/<repo>)`,
    };
  }
  const [owner, repo] = parts;
  return { host, owner, repo, url: `${scheme}//${host}/${owner}/${repo}` };
}
