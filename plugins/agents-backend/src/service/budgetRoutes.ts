import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  agentsResourcePermission,
  AgentStack,
  BudgetState,
  COST_GROUPINGS,
  CostGrouping,
  CostsResponse,
} from '@krate/plugin-agents-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { BudgetPolicy } from '../budgets/BudgetPolicy';
import { matchesAny } from '../budgets/budgetScope';
import { SpendFilter } from '../budgets/SpendLedger';
import { queryString } from './requestParsing';
import { ResourceService } from './ResourceService';

export interface BudgetRoutesOptions {
  service: ResourceService;
  budgets: BudgetPolicy;
}

/** Budgets and costs are what runs spent: whoever may list the runs may read them. */
const runRead = agentsResourcePermission('AgentDispatchRun', 'read');

const DAY_MS = 86_400_000;
const DEFAULT_COSTS_LIMIT = 50;
const MAX_COSTS_LIMIT = 500;
const ESTIMATE_FIELDS = new Set(['namespace', 'stack', 'rule', 'prompt']);

function requiredNamespace(value: unknown): string {
  if (value === undefined || value === '') {
    throw new InputError('namespace: is required');
  }
  if (typeof value !== 'string') {
    throw new InputError('namespace: must be a string');
  }
  return value;
}

function optionalString(input: Record<string, unknown>, field: string) {
  const value = input[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${field}: must be a non-empty string`);
  }
  return value;
}

function timeOf(req: Request, field: string, fallback: Date): Date {
  const text = queryString(req, field);
  if (text === undefined) return fallback;
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) {
    throw new InputError(`${field}: must be an ISO 8601 time`);
  }
  return time;
}

function scopeFilterOf(req: Request): SpendFilter {
  const filter: SpendFilter = {};
  for (const field of ['stack', 'rule', 'owner'] as const) {
    const value = queryString(req, field);
    if (value !== undefined) filter[field] = value;
  }
  return filter;
}

/** Refuses (403) a namespace whose runs the caller may not list. */
async function authorizeNamespace(
  service: ResourceService,
  req: Request,
  namespace: string,
) {
  const { allowedNamespaces } = await service.access.listScope(req, runRead);
  if (allowedNamespaces && !allowedNamespaces.includes(namespace)) {
    throw new NotAllowedError(`${runRead.name} is not allowed in ${namespace}`);
  }
}

/**
 * `GET /budgets/state`, `POST /budgets/estimate` and `GET /costs`: what the budgets of an org
 * have spent, what a run would cost against them, and what runs cost, grouped.
 */
export function createBudgetRoutes({ service, budgets }: BudgetRoutesOptions) {
  const router = Router();

  router.get('/budgets/state', async (req, res) => {
    const namespace = requiredNamespace(queryString(req, 'namespace'));
    const filter = scopeFilterOf(req);
    await authorizeNamespace(service, req, namespace);
    const all = await budgets.budgetsOf(namespace);
    const filtered = Object.keys(filter).length > 0;
    // A run of this stack, of this rule, or of this owner: any one matching is enough.
    const selected = filtered ? all.filter(b => matchesAny(b, filter)) : all;
    const items: BudgetState[] = await budgets.states(selected);
    res.json({ items });
  });

  router.post('/budgets/estimate', async (req, res) => {
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new InputError('body: must be a JSON object');
    }
    const input = body as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!ESTIMATE_FIELDS.has(key)) {
        throw new InputError(`${key}: unknown field`);
      }
    }
    const namespace = requiredNamespace(input.namespace);
    const stackName = optionalString(input, 'stack');
    if (!stackName) throw new InputError('stack: is required');
    const rule = optionalString(input, 'rule');
    const prompt = input.prompt;
    if (prompt !== undefined && typeof prompt !== 'string') {
      throw new InputError('prompt: must be a string');
    }
    await authorizeNamespace(service, req, namespace);
    const stack = (await service.store.get(
      'AgentStack',
      namespace,
      stackName,
    )) as AgentStack | undefined;
    if (!stack) {
      throw new NotFoundError(`AgentStack ${namespace}/${stackName} not found`);
    }
    const owner = stack.spec.owner;
    res.json(
      await budgets.estimate({
        namespace,
        target: {
          stack: stackName,
          ...(rule ? { rule } : {}),
          ...(owner ? { owner } : {}),
        },
        model: stack.spec.model,
        prompt,
      }),
    );
  });

  router.get('/costs', async (req, res) => {
    const namespace = requiredNamespace(queryString(req, 'namespace'));
    const groupText = queryString(req, 'groupBy') ?? 'stack';
    if (!(COST_GROUPINGS as readonly string[]).includes(groupText)) {
      throw new InputError(
        `groupBy: must be one of ${COST_GROUPINGS.join(', ')}`,
      );
    }
    const groupBy = groupText as CostGrouping;
    const now = new Date();
    const until = timeOf(req, 'until', now);
    const since = timeOf(req, 'since', new Date(now.getTime() - 30 * DAY_MS));
    if (since.getTime() > until.getTime()) {
      throw new InputError('since: must not be after until');
    }
    const limitText = queryString(req, 'limit');
    const limit =
      limitText === undefined ? DEFAULT_COSTS_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_COSTS_LIMIT) {
      throw new InputError(
        `limit: must be an integer from 1 to ${MAX_COSTS_LIMIT}`,
      );
    }
    const filter = scopeFilterOf(req);
    await authorizeNamespace(service, req, namespace);
    const items = await budgets.ledger.group({
      namespace,
      groupBy,
      filter,
      since,
      until,
      limit,
    });
    const body: CostsResponse = {
      groupBy,
      since: since.toISOString(),
      until: until.toISOString(),
      items,
    };
    res.json(body);
  });

  return router;
}
