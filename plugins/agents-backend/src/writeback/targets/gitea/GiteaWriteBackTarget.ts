import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  getGiteaRequestOptions,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import {
  AgentWriteBackTarget,
  WriteBackRepository,
  WriteBackRequest,
  WriteBackSupport,
} from '@krate/plugin-agents-node';
import { WriteBackResult } from '@krate/plugin-agents-common';
import { FORGE_OPERATIONS } from '../forge/ForgeOperations';
import { locationOf, supportOf } from '../forge/ForgeLocated';
import { GiteaRepositoryApi } from './GiteaRepositoryApi';
import { locateGiteaRepository } from './locateGiteaRepository';

/** @public */
export interface GiteaWriteBackTargetOptions {
  logger: LoggerService;
}

/**
 * Writes approved agent work to Gitea (and Forgejo, which keeps its API): pull requests, reviews
 * and comments through the REST API v1, with the hosts and credentials of Backstage's
 * `integrations.gitea` config. Every operation looks for what an earlier try wrote before it
 * writes, so a retry never writes twice.
 * @public
 */
export class GiteaWriteBackTarget implements AgentWriteBackTarget {
  readonly id = 'gitea';
  readonly displayName = 'Gitea';
  readonly operations = FORGE_OPERATIONS.kinds();
  readonly #integrations: ScmIntegrationRegistry;
  readonly #logger: LoggerService;

  static fromConfig(config: Config, options: GiteaWriteBackTargetOptions) {
    return new GiteaWriteBackTarget(
      ScmIntegrations.fromConfig(config),
      options.logger,
    );
  }

  private constructor(
    integrations: ScmIntegrationRegistry,
    logger: LoggerService,
  ) {
    this.#integrations = integrations;
    this.#logger = logger;
  }

  async supports(repository: WriteBackRepository): Promise<WriteBackSupport> {
    return supportOf(this.#locate(repository));
  }

  async apply(request: WriteBackRequest): Promise<WriteBackResult[]> {
    const { integration, apiBaseUrl, owner, repo } = locationOf(
      this.#locate(request.repository),
    );
    const { headers = {} } = getGiteaRequestOptions(integration) as {
      headers?: Record<string, string>;
    };
    const api = new GiteaRepositoryApi({
      apiBaseUrl,
      owner,
      repo,
      headers: { ...headers, 'user-agent': 'krate-agents-write-back' },
      signal: request.signal,
      secrets: [integration.password, headers.Authorization],
    });
    this.#logger.debug(
      `Gitea write-back ${request.key}: ${request.operation.operation} on ${api.fullName}`,
    );
    return FORGE_OPERATIONS.apply(api, request, this);
  }

  #locate(repository: WriteBackRepository) {
    return locateGiteaRepository(
      repository.name,
      repository.url,
      this.#integrations,
    );
  }
}
