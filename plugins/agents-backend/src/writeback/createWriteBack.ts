import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Knex } from 'knex';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { ApprovalService } from '../approvals/ApprovalService';
import { AuditStore } from '../database/AuditStore';
import { integrationCredentials } from '../repositories/integrationCredentials';
import { Repositories } from '../repositories/Repositories';
import { ResourceStore } from '../resources/ResourceStore';
import { GitCli } from '../workspaces/GitCli';
import { Redactor } from '../dispatch/Redactor';
import { configuredSecretValues } from '../secrets/configuredSecretValues';
import { ConfigurationCommits } from './configuration/ConfigurationCommits';
import { ConfigurationProposals } from './configuration/ConfigurationProposals';
import { ConfigurationProposalStore } from './configuration/ConfigurationProposalStore';
import { configurationRepositories } from './configuration/configurationRepositories';
import { ArtifactCollector } from './ArtifactCollector';
import { ArtifactContents } from './ArtifactContents';
import { RepositoryRemotes } from './RepositoryRemotes';
import { WorkspacePush } from './WorkspacePush';
import { WriteBackController } from './WriteBackController';
import { WriteBackLedger } from './WriteBackLedger';
import { WriteBackService } from './WriteBackService';
import { WriteBackTargets } from './WriteBackTargets';

/**
 * Builds the write-back parts: artifacts, the ledger, the service and its controller, and the
 * configuration proposals that go through the same targets.
 */
export function createWriteBack(options: {
  config: Config;
  knex: Knex;
  store: ResourceStore;
  audit: AuditStore;
  auditor?: AuditorService;
  approvals: ApprovalService;
  repositories: Repositories;
  targets: WriteBackTargets;
  repositoryOwners(repository: string): Promise<string[]>;
  logger: LoggerService;
}) {
  const { store, approvals, logger } = options;
  const git = new GitCli({ timeoutMs: 5 * 60_000 });
  const ledger = new WriteBackLedger(options.knex);
  const contents = new ArtifactContents(options.knex);
  const remotes = new RepositoryRemotes({
    repositories: options.repositories,
    integrationCredentials: integrationCredentials(options.config),
    git,
  });
  // The collector tells the service of superseded artifacts; the service wakes the controller.
  const secrets = new Redactor(configuredSecretValues(options.config));
  const late: { service?: WriteBackService; controller?: WriteBackController } =
    {};
  const collector = new ArtifactCollector({
    store,
    contents,
    git,
    secrets,
    onSuperseded: artifact => late.service!.onSuperseded(artifact),
    onNewPatch: (artifact, previous) =>
      late.service!.followUp(artifact, previous),
  });
  const service = new WriteBackService({
    store,
    ledger,
    contents,
    collector,
    targets: options.targets,
    approvals,
    remotes,
    repositoryOwners: options.repositoryOwners,
    wake: () => late.controller?.wake(),
    logger,
  });
  const controller = new WriteBackController({
    store,
    ledger,
    service,
    collector,
    approvals,
    targets: options.targets,
    remotes,
    push: new WorkspacePush(git),
    audit: options.audit,
    auditor: options.auditor,
    logger,
    owner: `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    leaseMs:
      (options.config.getOptionalNumber('agents.writeBack.leaseSeconds') ??
        120) * 1000,
  });
  late.service = service;
  late.controller = controller;
  approvals.addGuard(service);
  approvals.addListener({
    opened: () => {},
    closed: approval => {
      if (approval.spec.binding) {
        controller.wake();
      }
    },
  });
  const proposals = new ConfigurationProposals({
    repositories: configurationRepositories(options.config),
    remotes,
    targets: options.targets,
    store: new ConfigurationProposalStore(options.knex),
    commits: new ConfigurationCommits(git),
    secrets,
    logger: logger.child({ component: 'configuration-proposals' }),
  });
  return { service, controller, collector, ledger, contents, proposals };
}
