import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  GithubIntegrationConfig,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import {
  AgentWriteBackTarget,
  WriteBackError,
  WriteBackRepository,
  WriteBackRequest,
  WriteBackSupport,
} from '@krate/plugin-agents-node';
import { WriteBackResult } from '@krate/plugin-agents-common';
import { Octokit } from '@octokit/rest';
import { FORGE_OPERATIONS } from '../forge/ForgeOperations';
import { ForgeLocated, locationOf, supportOf } from '../forge/ForgeLocated';
import { GithubRepositoryApi } from './GithubRepositoryApi';
import {
  GithubRepositoryLocation,
  parseGithubRepositoryUrl,
} from './parseGithubRepositoryUrl';
import { rerunWorkflowRun } from './rerunWorkflowRun';

/** @public */
export interface GithubWriteBackTargetOptions {
  logger: LoggerService;
}

type Located = ForgeLocated<{
  location: GithubRepositoryLocation;
  integration: GithubIntegrationConfig & { apiBaseUrl: string };
}>;

const GITHUB_OPERATIONS = FORGE_OPERATIONS.with<GithubRepositoryApi>({
  'workflow-rerun': rerunWorkflowRun,
});

/**
 * Writes approved agent work to GitHub (github.com or GitHub Enterprise Server): pull requests,
 * reviews, comments and workflow re-runs, with the hosts and credentials (a token or a GitHub
 * App) of Backstage's `integrations.github` config. Every operation looks for what an earlier
 * try wrote before it writes, so a retry never writes twice.
 * @public
 */
export class GithubWriteBackTarget implements AgentWriteBackTarget {
  readonly id = 'github';
  readonly displayName = 'GitHub';
  readonly operations = GITHUB_OPERATIONS.kinds();
  readonly #integrations: ScmIntegrationRegistry;
  readonly #credentials: GithubCredentialsProvider;
  readonly #logger: LoggerService;

  static fromConfig(config: Config, options: GithubWriteBackTargetOptions) {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GithubWriteBackTarget(
      integrations,
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      options.logger,
    );
  }

  private constructor(
    integrations: ScmIntegrationRegistry,
    credentials: GithubCredentialsProvider,
    logger: LoggerService,
  ) {
    this.#integrations = integrations;
    this.#credentials = credentials;
    this.#logger = logger;
  }

  async supports(repository: WriteBackRepository): Promise<WriteBackSupport> {
    return supportOf(this.#locate(repository));
  }

  async apply(request: WriteBackRequest): Promise<WriteBackResult[]> {
    const { location, integration } = locationOf(
      this.#locate(request.repository),
    );
    const token = await this.#token(location);
    if (!token) {
      throw new WriteBackError(
        `No GitHub token or App installation gives access to ${location.owner}/${location.repo} on ${location.host}`,
      );
    }
    const logger = this.#logger;
    const octokit = new Octokit({
      auth: token,
      baseUrl: integration.apiBaseUrl,
      userAgent: 'krate-agents-write-back',
      request: { signal: request.signal },
      log: {
        debug: () => {},
        info: () => {},
        warn: message => logger.warn(message),
        error: message => logger.error(message),
      },
    });
    const api = new GithubRepositoryApi({
      octokit,
      owner: location.owner,
      repo: location.repo,
      token,
    });
    return GITHUB_OPERATIONS.apply(api, request, this);
  }

  async #token(location: GithubRepositoryLocation) {
    try {
      const { token } = await this.#credentials.getCredentials({
        url: location.url,
      });
      return token;
    } catch (error) {
      // A GitHub App's installation token comes from GitHub itself: its outages are worth a
      // retry, a missing or suspended installation is not.
      const status = (error as { status?: number })?.status;
      throw new WriteBackError(
        `Could not get GitHub credentials for ${location.owner}/${
          location.repo
        } on ${location.host}: ${(error as Error)?.message ?? error}`,
        {
          retryable: status !== undefined && (status >= 500 || status === 429),
          cause: error,
        },
      );
    }
  }

  #locate(repository: WriteBackRepository): Located {
    if (!repository.url) {
      return {
        problem: `${repository.name} has no remote URL, so no integrations.github entry can match it: declare it in agents.repositories with a url`,
      };
    }
    const location = parseGithubRepositoryUrl(repository.url);
    if ('problem' in location) {
      return location;
    }
    const integration = this.#integrations.github.byHost(location.host)?.config;
    if (!integration) {
      return {
        problem: `No integrations.github entry for ${location.host}: configure one to open pull requests`,
      };
    }
    if (!integration.apiBaseUrl) {
      return {
        problem: `The integrations.github entry for ${location.host} has no apiBaseUrl: set it to the API of that GitHub Enterprise Server (https://${location.host}/api/v3)`,
      };
    }
    if (!integration.token && !integration.apps?.length) {
      return {
        problem: `The integrations.github entry for ${location.host} has neither a token nor a GitHub App: configure one to open pull requests`,
      };
    }
    return {
      location,
      integration: { ...integration, apiBaseUrl: integration.apiBaseUrl },
    };
  }
}
