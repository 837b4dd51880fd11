import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  AgentTriggerRule,
  agentsResourcePermission,
} from '@krate/plugin-agents-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { ResourceAccess } from '../permissions/ResourceAccess';
import {
  parseDraftDryRunRequest,
  parseDryRunRequest,
} from '../triggers/parseDryRunRequest';
import { TriggerDryRun } from '../triggers/TriggerDryRun';
import { ContextViewer } from '../triggers/TriggerEvaluator';
import { audited } from './audited';
import { queryString } from './requestParsing';
import { ResourceService } from './ResourceService';

export interface TriggerRoutesOptions {
  service: ResourceService;
  dryRun: TriggerDryRun;
  auditor: AuditorService;
}

const runCreate = agentsResourcePermission('AgentDispatchRun', 'create');
const executionCreate = agentsResourcePermission(
  'AgentTriggerExecution',
  'create',
);

/** The org's dry-run permission, asked about the rule's executions as the framework sees them. */
const executionsOf = (namespace: string, rule: string) => ({
  apiVersion: AGENTS_API_GROUP_VERSION,
  kind: 'AgentTriggerExecution',
  metadata: { namespace, name: rule },
  spec: {},
});

/**
 * Trigger rule dry-runs: what a delivery of a sample event would do, never dispatched; recorded
 * for an applied rule, not for a draft.
 */
export function createTriggerRoutes({
  service,
  dryRun,
  auditor,
}: TriggerRoutesOptions) {
  const router = Router();
  const viewer = (
    req: Request,
    credentials: Parameters<typeof ResourceAccess.actorOf>[0],
  ): ContextViewer => ({
    actor: ResourceAccess.actorOf(credentials),
    mayDispatch: async draft =>
      (await service.access.allowedOn(req, [runCreate], draft))[0],
  });

  router.post('/rules/:rule/dry-run', async (req, res) => {
    const namespace = queryString(req, 'namespace');
    if (!namespace) {
      throw new InputError('namespace: is required (?namespace=<org>)');
    }
    const rule = (await service.get(
      req,
      'AgentTriggerRule',
      namespace,
      req.params.rule,
    )) as AgentTriggerRule;
    const sample = parseDryRunRequest(req.body, namespace);
    const credentials = await service.access.authorize(
      req,
      executionCreate,
      executionsOf(namespace, rule.metadata.name),
    );
    const result = await audited(
      auditor,
      req,
      'trigger-dry-run',
      { namespace, rule: rule.metadata.name, source: sample.source },
      () => dryRun.run(rule, sample, viewer(req, credentials)),
    );
    res.status(201).json(result);
  });

  // A draft is not stored, so neither is its evaluation: the answer is 200, not 201.
  router.post('/rules/dry-run', async (req, res) => {
    const namespace = queryString(req, 'namespace');
    if (!namespace) {
      throw new InputError('namespace: is required (?namespace=<org>)');
    }
    const { rule, sample } = parseDraftDryRunRequest(req.body, namespace);
    const credentials = await service.access.authorize(
      req,
      executionCreate,
      executionsOf(namespace, rule.metadata.name),
    );
    const result = await audited(
      auditor,
      req,
      'trigger-draft-dry-run',
      { namespace, rule: rule.metadata.name, source: sample.source },
      () =>
        dryRun.run(rule, sample, viewer(req, credentials), {
          record: false,
        }),
    );
    res.status(200).json(result);
  });

  return router;
}
