import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  AgentTriggerRule,
  agentsResourcePermission,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { parseDryRunRequest } from '../triggers/parseDryRunRequest';
import { TriggerDryRun } from '../triggers/TriggerDryRun';
import { audited } from './audited';
import { queryString } from './requestParsing';
import { ResourceService } from './ResourceService';

export interface TriggerRoutesOptions {
  service: ResourceService;
  dryRun: TriggerDryRun;
  auditor: AuditorService;
}

const runCreate = agentsResourcePermission('AgentDispatchRun', 'create');

/** Trigger rule dry-runs: what a delivery of a sample event would do, recorded, never dispatched. */
export function createTriggerRoutes({
  service,
  dryRun,
  auditor,
}: TriggerRoutesOptions) {
  const router = Router();

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
      agentsResourcePermission('AgentTriggerExecution', 'create'),
      {
        apiVersion: AGENTS_API_GROUP_VERSION,
        kind: 'AgentTriggerExecution',
        metadata: { namespace, name: rule.metadata.name },
        spec: {},
      },
    );
    const result = await audited(
      auditor,
      req,
      'trigger-dry-run',
      { namespace, rule: rule.metadata.name, source: sample.source },
      () =>
        dryRun.run(rule, sample, {
          actor: ResourceAccess.actorOf(credentials),
          mayDispatch: async draft =>
            (
              await service.access.allowedOn(req, [runCreate], draft)
            )[0],
        }),
    );
    res.status(201).json(result);
  });

  return router;
}
