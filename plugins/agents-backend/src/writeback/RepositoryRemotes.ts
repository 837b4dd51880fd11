import { AgentWorkspace } from '@krate/plugin-agents-common';
import { WriteBackRepository } from '@krate/plugin-agents-node';
import { GitCredentials } from '../repositories/GitCredentials';
import { Repositories } from '../repositories/Repositories';
import { GitCli } from '../workspaces/GitCli';

/**
 * Where a repository's write-backs go: the remote it is declared with (or a clone's `origin`),
 * with the credentials of its declaration or of the `integrations` config, and whether a
 * workspace is in a state to push from.
 */
export class RepositoryRemotes {
  readonly #repositories: Repositories;
  readonly #integrationCredentials: (
    url: string,
  ) => Promise<GitCredentials | undefined>;
  readonly #git: GitCli;

  constructor(options: {
    repositories: Repositories;
    /** Credentials of the `integrations` config for a remote the repository brings none for. */
    integrationCredentials: (
      url: string,
    ) => Promise<GitCredentials | undefined>;
    git?: GitCli;
  }) {
    this.#repositories = options.repositories;
    this.#integrationCredentials = options.integrationCredentials;
    this.#git = options.git ?? new GitCli();
  }

  async repositoryOf(
    name: string | undefined,
  ): Promise<WriteBackRepository | undefined> {
    if (!name) {
      return undefined;
    }
    const definition = await this.#repositories.definition(name);
    if (definition) {
      return {
        name,
        url: definition.url,
        ...(definition.defaultBranch
          ? { defaultBranch: definition.defaultBranch }
          : {}),
      };
    }
    const located = await this.#repositories
      .locate(name)
      .catch(() => undefined);
    if (!located) {
      return undefined;
    }
    const origin = await this.#git
      .run(located.path, ['remote', 'get-url', 'origin'])
      .then(out => out.trim())
      .catch(() => undefined);
    return { name, ...(origin ? { url: origin } : {}) };
  }

  async credentialsFor(name: string, url: string) {
    const definition = await this.#repositories.definition(name);
    return definition?.credentials ?? (await this.#integrationCredentials(url));
  }

  /** Why a workspace cannot be pushed from now (a rebase, conflicts, behind its upstream), or undefined. */
  async workspaceBlock(workspace: AgentWorkspace): Promise<string | undefined> {
    const worktree = workspace.spec.path!;
    const name = workspace.metadata.name;
    if (await this.#git.rebaseInProgress(worktree)) {
      return `Workspace ${name} is in the middle of a rebase: finish or abort it before write-back`;
    }
    const status = await this.#git.status(worktree);
    if (status.conflictingFiles.length > 0) {
      return `Workspace ${name} has conflicts in ${status.conflictingFiles.join(
        ', ',
      )}: resolve them before write-back`;
    }
    if (status.behind > 0 && status.upstream) {
      return `Workspace ${name} needs a rebase: it is ${status.behind} commit(s) behind ${status.upstream}`;
    }
    return undefined;
  }
}
