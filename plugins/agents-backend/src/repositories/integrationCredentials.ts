import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { GitCredentials } from './GitCredentials';

/** Whether a token may go to `url`: https, or http to a host whose integration is http itself. */
function schemeAllowed(url: URL, integrationBaseUrl: string | undefined) {
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' &&
      Boolean(integrationBaseUrl?.startsWith('http://')))
  );
}

/**
 * The credentials git uses for a remote, from Backstage's `integrations` config through
 * `@backstage/integration`, by host: a GitHub token or GitHub App installation token (user
 * `x-access-token`), a Gitea password or token, a GitLab token (user `oauth2`). Only over https —
 * or http to a host whose integration is itself configured with an http base URL. Undefined for
 * any other remote.
 */
export function integrationCredentials(
  config: Config,
): (url: string) => Promise<GitCredentials | undefined> {
  const integrations = ScmIntegrations.fromConfig(config);
  const github =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  return async remote => {
    let url: URL;
    try {
      url = new URL(remote);
    } catch {
      return undefined;
    }
    const githubConfig = integrations.github.byHost(url.host)?.config;
    if (githubConfig) {
      if (!schemeAllowed(url, githubConfig.apiBaseUrl)) return undefined;
      const { token } = await github.getCredentials({ url: remote });
      return token ? GitCredentials.basic('x-access-token', token) : undefined;
    }
    const gitea = integrations.gitea.byHost(url.host)?.config;
    if (gitea) {
      return gitea.password && schemeAllowed(url, gitea.baseUrl)
        ? GitCredentials.basic(gitea.username ?? 'krate', gitea.password)
        : undefined;
    }
    const gitlab = integrations.gitlab.byHost(url.host)?.config;
    if (gitlab) {
      return gitlab.token && schemeAllowed(url, gitlab.baseUrl)
        ? GitCredentials.basic('oauth2', gitlab.token)
        : undefined;
    }
    return undefined;
  };
}
