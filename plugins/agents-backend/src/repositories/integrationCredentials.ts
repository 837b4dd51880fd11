import { Config } from '@backstage/config';
import { GitCredentials } from './GitCredentials';

/** The user name each integration's tokens go with over git's HTTP transport. */
const USERNAMES: Record<string, string> = {
  github: 'x-access-token',
  gitlab: 'oauth2',
};

/**
 * The credentials of Backstage's `integrations` config for git remotes: the `token` of a `github`
 * or `gitlab` entry, by host (`github.com` and `gitlab.com` when the entry names none). Without
 * `@backstage/integration`, apps, and other token kinds are not read.
 */
export function integrationCredentials(
  config: Config,
): (url: string) => GitCredentials | undefined {
  const byHost = new Map<string, GitCredentials>();
  for (const [provider, username] of Object.entries(USERNAMES)) {
    let entries: Config[] = [];
    try {
      entries = config.getOptionalConfigArray(`integrations.${provider}`) ?? [];
    } catch {
      continue;
    }
    for (const entry of entries) {
      const token = entry.getOptionalString('token');
      const host = entry.getOptionalString('host') ?? `${provider}.com`;
      if (token && !byHost.has(host)) {
        byHost.set(host, GitCredentials.basic(username, token));
      }
    }
  }
  return url => {
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'https:' ? byHost.get(parsed.host) : undefined;
    } catch {
      return undefined;
    }
  };
}
