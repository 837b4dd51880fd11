import {
  GiteaIntegrationConfig,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { displayableUrl } from '../forge/displayableUrl';

/** A Gitea repository, the integration that reaches it and its API. */
export interface GiteaRepositoryLocation {
  host: string;
  owner: string;
  repo: string;
  integration: GiteaIntegrationConfig;
  /** `<baseUrl>/api/v1`. */
  apiBaseUrl: string;
}

function splitRemote(remote: string) {
  const scpLike = /^[^/@:]+@([^/:]+):(.+)$/.exec(remote);
  if (scpLike) {
    return { host: scpLike[1], pathname: `/${scpLike[2]}`, web: false };
  }
  try {
    const url = new URL(remote);
    return {
      host: url.host,
      pathname: url.pathname,
      web: url.protocol === 'http:' || url.protocol === 'https:',
    };
  } catch {
    return undefined;
  }
}

/**
 * Finds the `integrations.gitea` entry of a remote URL (`https://host[/prefix]/owner/repo.git`,
 * `ssh://git@host/owner/repo.git` or `git@host:owner/repo.git`) and reads owner and repository
 * from it; an http(s) URL must sit below the entry's `baseUrl`. Answers why not, otherwise.
 */
export function locateGiteaRepository(
  name: string,
  remote: string | undefined,
  integrations: ScmIntegrationRegistry,
): GiteaRepositoryLocation | { problem: string } {
  if (!remote) {
    return {
      problem: `${name} has no remote URL, so no integrations.gitea entry can match it: declare it in agents.repositories with a url`,
    };
  }
  const split = splitRemote(remote);
  if (!split) {
    return { problem: `${displayableUrl(remote)} is not a URL` };
  }
  const integration = integrations.gitea.byHost(split.host)?.config;
  if (!integration) {
    return {
      problem: `No integrations.gitea entry for ${split.host}: configure one to open pull requests`,
    };
  }
  if (!integration.password) {
    return {
      problem: `The integrations.gitea entry for ${split.host} has no password or token: configure one to open pull requests`,
    };
  }
  const baseUrl = (
    integration.baseUrl ?? `https://${integration.host}`
  ).replace(/\/+$/, '');
  const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');
  let pathname = split.pathname;
  if (split.web && prefix) {
    if (!pathname.startsWith(`${prefix}/`)) {
      return {
        problem: `${displayableUrl(
          remote,
        )} is not below the Gitea at ${baseUrl}`,
      };
    }
    pathname = pathname.slice(prefix.length);
  }
  const parts = pathname
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/');
  if (parts.length !== 2 || parts.some(part => !part)) {
    return {
      problem: `${displayableUrl(
        remote,
      )} is not a Gitea repository URL (<host>/<owner>/<repo>)`,
    };
  }
  return {
    host: split.host,
    owner: parts[0],
    repo: parts[1],
    integration,
    apiBaseUrl: `${baseUrl}/api/v1`,
  };
}
