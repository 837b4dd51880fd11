import { AuditorService, UserInfoService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AgentMemoryUpdate,
  MEMORY_UPDATE_PHASES,
  memoryProposePermission,
  memoryReadPermission,
  memoryReviewPermission,
} from '@krate/plugin-agents-common';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import {
  checkOrg,
  MemoryUpdates,
  parseMerge,
  parseProposal,
  parseReview,
} from '../memory/updates';
import { MemoryReader } from '../memory/visibility';
import { MEMORY_RESOURCE_KIND } from '../permissions/permissionResources';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { audited } from './audited';
import { queryString } from './requestParsing';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/**
 * The writing side of the org memory: proposals, reviews and merges of AgentMemoryUpdate
 * records. Each route is permission-checked on the org's memory; each mutation is audited; a
 * proposal touching a record the caller may not see is answered as if it did not exist.
 */
export function createMemoryUpdateRoutes(options: {
  updates: MemoryUpdates;
  access: ResourceAccess;
  auditor: AuditorService;
  userInfo?: UserInfoService;
}) {
  const { updates, access, auditor, userInfo } = options;
  const router = Router();

  /** Checks the caller holds `permission` on the org's memory; answers who they are. */
  async function callerOf(
    req: Request,
    permission: ResourcePermission,
    org: string,
  ): Promise<{ actor: string; reader: MemoryReader }> {
    const credentials = await access.authorize(req, permission, {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: MEMORY_RESOURCE_KIND,
      metadata: { namespace: org, name: 'memory' },
      spec: {},
    });
    const actor = ResourceAccess.actorOf(credentials);
    if (credentials.principal.type !== 'user' || !userInfo) {
      return { actor, reader: { ownershipRefs: [] } };
    }
    const info = await userInfo.getUserInfo(credentials);
    return { actor, reader: { ownershipRefs: info.ownershipEntityRefs } };
  }

  /** The proposal, unless the reader may not see a record it touches: then it is not found. */
  async function visibleUpdate(
    req: Request,
    permission: ResourcePermission,
  ): Promise<{ update: AgentMemoryUpdate; actor: string }> {
    const org = checkOrg(req.params.org);
    const { actor, reader } = await callerOf(req, permission, org);
    if (!updates.hasMemory(org)) {
      throw new NotFoundError(`org ${org} has no memory repository configured`);
    }
    const update = await updates.get(org, req.params.name);
    if (!updates.maySee(update, reader)) {
      throw new NotFoundError(
        `AgentMemoryUpdate ${org}/${req.params.name} not found`,
      );
    }
    return { update, actor };
  }

  router.get('/memory/updates', async (req, res) => {
    const org = queryString(req, 'org');
    if (!org) throw new InputError('org: say whose memory, e.g. org=acme');
    checkOrg(org);
    const { reader } = await callerOf(req, memoryReadPermission, org);
    const phase = queryString(req, 'phase');
    if (
      phase !== undefined &&
      !(MEMORY_UPDATE_PHASES as readonly string[]).includes(phase)
    ) {
      throw new InputError(
        `phase: must be one of ${MEMORY_UPDATE_PHASES.join(', ')}`,
      );
    }
    res.json(
      await updates.list(org, reader, {
        phase,
        limit: limitOf(req),
        continueToken: queryString(req, 'continue'),
      }),
    );
  });

  router.post('/memory/updates', async (req, res) => {
    const proposal = parseProposal(req.body);
    const { actor, reader } = await callerOf(
      req,
      memoryProposePermission,
      proposal.org,
    );
    const update = await audited(
      auditor,
      req,
      'memory-update-propose',
      { org: proposal.org, title: proposal.title },
      () =>
        updates.propose({
          ...proposal,
          source: { kind: 'user' },
          proposedBy: actor,
          reader,
        }),
    );
    res.status(201).json(update);
  });

  router.get('/memory/updates/:org/:name', async (req, res) => {
    res.json((await visibleUpdate(req, memoryReadPermission)).update);
  });

  router.post('/memory/updates/:org/:name/review', async (req, res) => {
    const { update, actor } = await visibleUpdate(req, memoryReviewPermission);
    const review = parseReview(req.body);
    const { namespace: org, name } = update.metadata;
    res.json(
      await audited(
        auditor,
        req,
        'memory-update-review',
        { org, name, decision: review.decision },
        () => updates.review({ org, name, reviewer: actor, ...review }),
      ),
    );
  });

  router.post('/memory/updates/:org/:name/merge', async (req, res) => {
    const { update, actor } = await visibleUpdate(req, memoryReviewPermission);
    parseMerge(req.body);
    const { namespace: org, name } = update.metadata;
    res.json(
      await audited(auditor, req, 'memory-update-merge', { org, name }, () =>
        updates.merge({ org, name, mergedBy: actor }),
      ),
    );
  });

  return router;
}

function limitOf(req: Request): number {
  const text = queryString(req, 'limit');
  if (text === undefined) return DEFAULT_LIMIT;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) {
    throw new InputError(`limit: must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return value;
}
