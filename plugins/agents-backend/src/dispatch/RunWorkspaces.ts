import { parseAgentsRepositoryRef } from '@krate/plugin-agents-common';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { WorkspaceManager } from '../workspaces/WorkspaceManager';

/**
 * Gives a run on a repository its own AgentWorkspace: a git worktree of the repository's clone
 * under one of the repository roots (`<root>/<org>/<repository>` or `<root>/<repository>`), at
 * the run's ref, on a branch named after the run.
 */
export class RunWorkspaces {
  constructor(
    private readonly workspaces: WorkspaceManager,
    private readonly repositoryRoots: string[],
  ) {}

  /** The clone of `<org>/<repository>` under the repository roots, if there is one. */
  async locate(repository: string): Promise<string | undefined> {
    const ref = parseAgentsRepositoryRef(repository);
    if (!ref) {
      return undefined;
    }
    for (const root of this.repositoryRoots) {
      for (const candidate of [
        path.join(root, ref.org, ref.repository),
        path.join(root, ref.repository),
      ]) {
        if (await isGitCheckout(candidate)) {
          return candidate;
        }
      }
    }
    return undefined;
  }

  /** Provisions the run's workspace; undefined when the repository has no clone here. */
  async provision(options: {
    namespace: string;
    run: string;
    repository: string;
    ref?: string;
    actor: string;
  }): Promise<string | undefined> {
    const repositoryPath = await this.locate(options.repository);
    if (!repositoryPath) {
      return undefined;
    }
    await this.workspaces.perform({
      namespace: options.namespace,
      name: options.run,
      action: 'provision',
      params: {
        repository: options.repository,
        repositoryPath,
        ...(options.ref ? { ref: options.ref } : {}),
      },
      actor: options.actor,
    });
    return options.run;
  }
}

async function isGitCheckout(dir: string) {
  const git = await stat(path.join(dir, '.git')).catch(() => undefined);
  return Boolean(git);
}
