import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ConfigurationProposal,
  ConfigurationProposalTargets,
  WriteBackOperationKind,
} from '@krate/plugin-agents-common';
import {
  AgentWriteBackTarget,
  WriteBackError,
  WriteBackRepository,
} from '@krate/plugin-agents-node';
import { createHash } from 'node:crypto';
import { Redactor } from '../../dispatch/Redactor';
import { StoredResource } from '../../resources/ResourceStore';
import { RepositoryRemotes } from '../RepositoryRemotes';
import { WriteBackTargets } from '../WriteBackTargets';
import { ConfigurationCommits } from './ConfigurationCommits';
import { ConfigurationProposalStore } from './ConfigurationProposalStore';
import { ConfigurationRepository } from './configurationRepositories';
import { manifestYaml } from './manifestYaml';

export interface ConfigurationProposalsOptions {
  repositories: ConfigurationRepository[];
  remotes: RepositoryRemotes;
  targets: WriteBackTargets;
  store: ConfigurationProposalStore;
  commits: ConfigurationCommits;
  /** Knows the configured secret values, which must never be committed. */
  secrets: Redactor;
  logger: LoggerService;
  leaseMs?: number;
}

const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');

/** The operation a target does for a proposal: a pull request where it opens them. */
function proposalOperation(
  target: AgentWriteBackTarget,
): WriteBackOperationKind | undefined {
  if (target.operations.includes('pull-request')) {
    return 'pull-request';
  }
  return target.operations.includes('branch') ? 'branch' : undefined;
}

/**
 * Proposes a configuration object as a YAML file in its org's configuration repository: a
 * branch, and a pull request where the target opens them, through the write-back targets. The
 * same object, YAML and target again is the same proposal, written to the outside world once.
 */
export class ConfigurationProposals {
  readonly #o: ConfigurationProposalsOptions;

  constructor(options: ConfigurationProposalsOptions) {
    this.#o = options;
  }

  async targets(namespace: string): Promise<ConfigurationProposalTargets> {
    const configured = this.#configured(namespace);
    if (!configured) {
      return {
        reason: `Org ${namespace} has no configuration repository: declare one in agents.configurationRepositories`,
        targets: [],
      };
    }
    const repository = await this.#o.remotes.repositoryOf(
      configured.repository,
    );
    return {
      repository: configured.repository,
      path: configured.path,
      targets: await this.#choices(configured, repository),
    };
  }

  /** The targets that do proposals, pull requests and available ones first. */
  async #choices(
    configured: ConfigurationRepository,
    repository: WriteBackRepository | undefined,
  ): Promise<ConfigurationProposalTargets['targets']> {
    const targets = await Promise.all(
      this.#o.targets.list().flatMap(target => {
        const operation = proposalOperation(target);
        if (!operation) {
          return [];
        }
        return [
          (async () => {
            const support = repository
              ? await target.supports(repository)
              : {
                  supported: false as const,
                  reason: `Repository ${configured.repository} is not known to this backend`,
                };
            return {
              target: target.id,
              displayName: target.displayName,
              operation,
              available: support.supported,
              ...(support.supported ? {} : { reason: support.reason }),
            };
          })(),
        ];
      }),
    );
    // Pull requests first: they are what a reviewer expects.
    targets.sort(
      (a, b) =>
        Number(b.available) - Number(a.available) ||
        Number(b.operation === 'pull-request') -
          Number(a.operation === 'pull-request'),
    );
    return targets;
  }

  async forObject(namespace: string, kind: string, name: string) {
    return this.#o.store.forObject(namespace, kind, name);
  }

  /**
   * Proposes `object` (valid, authorized) as `requestedBy`. Answers the proposal and whether this
   * request created it; a failed write is recorded with its reason and tried again by the same
   * request.
   */
  async propose(
    object: StoredResource,
    options: { target?: string; title?: string; body?: string },
    requestedBy: string,
  ): Promise<{ proposal: ConfigurationProposal; created: boolean }> {
    const { kind } = object;
    const { namespace, name } = object.metadata;
    const configured = this.#configured(namespace);
    if (!configured) {
      throw new InputError(
        `object.metadata.namespace: org ${namespace} has no configuration repository; declare one in agents.configurationRepositories`,
      );
    }
    const yaml = manifestYaml(object);
    if (this.#o.secrets.holdsKnownValue(yaml)) {
      throw new InputError(
        'object: holds the value of a configured secret; reference secrets through a grant, never commit their values',
      );
    }
    const repository = await this.#o.remotes.repositoryOf(
      configured.repository,
    );
    const choices = await this.#choices(configured, repository);
    const choice = options.target
      ? choices.find(t => t.target === options.target)
      : choices.find(t => t.available);
    if (!choice) {
      throw new InputError(
        options.target
          ? `target: '${
              options.target
            }' cannot propose configuration; available: ${
              choices.map(t => t.target).join(', ') || 'none'
            }`
          : `target: no write-back target can write to ${configured.repository}`,
      );
    }
    if (!choice.available) {
      throw new InputError(`target: ${choice.reason}`);
    }
    const digest = sha256(yaml);
    const file = [configured.path, kind, `${name}.yaml`]
      .filter(Boolean)
      .join('/');
    const key = sha256(
      JSON.stringify([
        namespace,
        kind,
        name,
        digest,
        configured.repository,
        file,
        choice.target,
        choice.operation,
      ]),
    );
    const branch = `krate/config/${kind.toLowerCase()}-${name}-${digest.slice(
      0,
      8,
    )}`.slice(0, 200);
    const claimed = await this.#o.store.claim(
      {
        key,
        namespace,
        kind,
        name,
        digest,
        repository: configured.repository,
        path: file,
        branch,
        target: choice.target,
        operation: choice.operation,
        requestedBy,
      },
      this.#o.leaseMs ?? 120_000,
    );
    if (!claimed) {
      const existing = (await this.#o.store.get(key))!;
      if (existing.state === 'applied') {
        return { proposal: existing, created: false };
      }
      throw new ConflictError(
        `This proposal is being written by another request; try again in a moment`,
      );
    }
    const proposal = await this.#write(claimed, {
      // An available target supports a repository this backend knows.
      repository: repository!,
      configured,
      file,
      yaml,
      title: options.title ?? `Propose ${kind} ${namespace}/${name}`,
      body:
        options.body ??
        [
          `Proposes \`${file}\`, the ${kind} ${namespace}/${name} prepared in the Krate Agents portal by ${requestedBy}.`,
          '',
          'Once merged, apply it with `kubectl apply -f` or let your GitOps sync apply it.',
        ].join('\n'),
    });
    return {
      proposal,
      created: claimed.createdAt === claimed.updatedAt,
    };
  }

  async #write(
    proposal: ConfigurationProposal,
    parts: {
      repository: WriteBackRepository;
      configured: ConfigurationRepository;
      file: string;
      yaml: string;
      title: string;
      body: string;
    },
  ): Promise<ConfigurationProposal> {
    const target = this.#o.targets.get(proposal.target)!;
    const { repository, configured } = parts;
    const logger = this.#o.logger.child({
      proposal: proposal.key,
      target: proposal.target,
    });
    try {
      const results = await target.apply({
        key: proposal.key,
        marker: `<!-- krate-configuration-proposal:${proposal.key} -->`,
        repository,
        operation: {
          operation: proposal.operation,
          branch: proposal.branch,
          ...(configured.base ? { base: configured.base } : {}),
          title: parts.title,
          body: parts.body,
        },
        artifact: {
          name: `${proposal.kind}/${proposal.name}`,
          kind: 'configuration',
          digest: proposal.digest,
          title: parts.title,
          run: '',
        },
        pushBranch: async branch => {
          if (!repository.url) {
            throw new WriteBackError(
              `${repository.name} has no remote to push to`,
            );
          }
          return this.#o.commits.push({
            remote: repository.url,
            credentials: await this.#o.remotes.credentialsFor(
              repository.name,
              repository.url,
            ),
            base: configured.base ?? repository.defaultBranch,
            branch,
            file: parts.file,
            content: parts.yaml,
            message: `${parts.title}\n\nKrate-Requested-By: ${proposal.requestedBy}\nKrate-Object: ${proposal.kind} ${proposal.namespace}/${proposal.name} ${proposal.digest}`,
          });
        },
        signal: new AbortController().signal,
        logger,
      });
      logger.info(
        `Proposed ${proposal.kind} ${proposal.namespace}/${proposal.name} to ${proposal.repository}`,
      );
      return this.#o.store.finish(proposal.key, 'applied', { results });
    } catch (error) {
      const message =
        error instanceof WriteBackError
          ? error.message
          : `${target.displayName} failed: ${
              error instanceof Error ? error.message : String(error)
            }`;
      logger.warn(`Configuration proposal failed: ${message}`);
      return this.#o.store.finish(proposal.key, 'failed', {
        message: this.#o.secrets.redact(message).text,
      });
    }
  }

  #configured(namespace: string) {
    return this.#o.repositories.find(r => r.org === namespace);
  }
}
