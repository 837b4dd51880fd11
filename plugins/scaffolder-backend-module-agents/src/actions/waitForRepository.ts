import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { AgentsApiClient } from './AgentsApiClient';

const POLL_MS = 2_000;

/**
 * Waits until the agents backend knows `repository` (`GET /repositories/<org>/<repository>`), so
 * a run dispatched right after a template registered the repository's Component gets a workspace
 * of it rather than an empty scratch directory. The catalog processes a new location in the
 * background, and the agents backend looks a name it lacks up again every few seconds.
 */
export async function waitForRepository(options: {
  api: AgentsApiClient;
  credentials: BackstageCredentials;
  repository: string;
  timeoutSeconds: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}): Promise<void> {
  const { api, credentials, repository, timeoutSeconds, signal } = options;
  const sleep =
    options.sleep ??
    ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    try {
      await api.call(credentials, 'GET', `/repositories/${repository}`);
      return;
    } catch (error) {
      if (!(error instanceof NotFoundError) || Date.now() >= deadline) {
        throw error instanceof NotFoundError
          ? new InputError(
              `repository: ${repository} is still not known to Krate Agents after ${timeoutSeconds} s (${error.message}); has the catalog processed its Component, with the agents.krate.dev/repository annotation and a source location on an integration's host?`,
            )
          : error;
      }
    }
    if (signal?.aborted) {
      throw new Error(`Cancelled while waiting for repository ${repository}`);
    }
    await sleep(POLL_MS);
  }
}
