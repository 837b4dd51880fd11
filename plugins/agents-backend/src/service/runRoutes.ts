import { AuditorService, UserInfoService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  AgentApproval,
  AgentDispatchRun,
  agentsResourcePermission,
  approvalDecidePermission,
  RunAction,
  runCancelPermission,
  runContinuePermission,
  runRetryPermission,
} from '@krate/plugin-agents-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { ApprovalService } from '../approvals/ApprovalService';
import { RunEventLog } from '../database/RunEventLog';
import { parseDispatchRequest } from '../dispatch/dispatchRequest';
import { DispatchService } from '../dispatch/DispatchService';
import { httpMemoryRequester } from '../memory/context/MemoryRequester';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { queryString } from './requestParsing';
import { ResourceService } from './ResourceService';
import { streamRunEvents } from './runEventStream';
import { audited } from './audited';
import { findRecord } from './findRecord';

export interface RunRoutesOptions {
  service: ResourceService;
  dispatch: DispatchService;
  approvals: ApprovalService;
  events: RunEventLog;
  auditor: AuditorService;
  userInfo?: UserInfoService;
}

const ACTION_PERMISSIONS = {
  cancel: runCancelPermission,
  retry: runRetryPermission,
  resume: runRetryPermission,
  fork: runRetryPermission,
  continue: runContinuePermission,
};

function integerParam(
  req: Request,
  name: string,
  fallback: number,
  range: [number, number],
) {
  const raw = queryString(req, name);
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < range[0] || value > range[1]) {
    throw new InputError(
      `${name}: must be an integer from ${range[0]} to ${range[1]}`,
    );
  }
  return value;
}

/**
 * Dispatch, the run event log, run actions and approval decisions: each permission-checked on
 * the object it touches and audited.
 */
export function createRunRoutes(options: RunRoutesOptions) {
  const { service, dispatch, approvals, events, auditor, userInfo } = options;
  const router = Router();

  const findByName = <T>(req: Request, kind: string, name: string) =>
    findRecord<T>(service, req, kind, name);

  router.post('/runs', async (req, res) => {
    const credentials = await service.access.credentials(req);
    const request = parseDispatchRequest(req.body);
    const actor = ResourceAccess.actorOf(credentials);
    const draft = dispatch.draftRun(request, actor);
    await service.access.authorize(
      req,
      agentsResourcePermission('AgentDispatchRun', 'create'),
      draft,
    );
    const run = await audited(
      auditor,
      req,
      'run-dispatch',
      {
        namespace: request.namespace,
        run: draft.metadata.name,
        stack: request.stack,
      },
      () =>
        dispatch.dispatch(draft, actor, {
          memoryRequester: httpMemoryRequester(req, service.access, userInfo),
        }),
    );
    res.status(201).json(run);
  });

  /** The context bundle `POST /runs` would assemble for the same body; nothing is written. */
  router.post('/runs/preview', async (req, res) => {
    const credentials = await service.access.credentials(req);
    const request = parseDispatchRequest(req.body);
    const draft = dispatch.draftRun(
      request,
      ResourceAccess.actorOf(credentials),
    );
    await service.access.authorize(
      req,
      agentsResourcePermission('AgentDispatchRun', 'create'),
      draft,
    );
    res.json(
      await dispatch.previewContext(draft, {
        memoryRequester: httpMemoryRequester(req, service.access, userInfo),
      }),
    );
  });

  router.get('/runs/:run/events', async (req, res) => {
    const run = await findByName<AgentDispatchRun>(
      req,
      'AgentDispatchRun',
      req.params.run,
    );
    const lastEventId = req.header('last-event-id');
    if (lastEventId !== undefined && !/^\d+$/.test(lastEventId)) {
      throw new InputError('Last-Event-ID: must be an event seq');
    }
    const sinceSeq =
      lastEventId !== undefined
        ? Number(lastEventId)
        : integerParam(req, 'sinceSeq', 0, [0, Number.MAX_SAFE_INTEGER]);
    const limit = integerParam(req, 'limit', 1000, [1, 10000]);
    const ref = { namespace: run.metadata.namespace, run: run.metadata.name };
    const wantsStream =
      queryString(req, 'watch') === 'true' ||
      (req.header('accept') ?? '').includes('text/event-stream');
    if (wantsStream) {
      await streamRunEvents(req, res, {
        events,
        store: service.store,
        ref,
        sinceSeq,
      });
      return;
    }
    const items = await events.read(ref, { sinceSeq, limit: limit + 1 });
    const page = items.slice(0, limit);
    const lastSeq = await events.lastSeq(ref);
    res.json({
      items: page,
      lastSeq,
      ...(items.length > limit
        ? { nextSinceSeq: page[page.length - 1].seq }
        : {}),
    });
  });

  router.get('/runs/:run/actions', async (req, res) => {
    const run = await findByName<AgentDispatchRun>(
      req,
      'AgentDispatchRun',
      req.params.run,
    );
    const actions = await dispatch.actionsOf(run);
    const permitted = await service.access.allowedOn(
      req,
      actions.map(({ action }) => ACTION_PERMISSIONS[action]),
      run,
    );
    res.json({
      items: actions.map(({ action, refusal }, index) => {
        const permission = ACTION_PERMISSIONS[action].name;
        const reason = permitted[index]
          ? refusal
          : `You may not ${action} this run (${permission})`;
        return {
          action,
          permission,
          allowed: !reason,
          ...(reason ? { reason } : {}),
        };
      }),
    });
  });

  router.post(
    '/runs/:run/:action(cancel|retry|resume|fork|continue)',
    async (req, res) => {
      const action = req.params.action as RunAction;
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (typeof body !== 'object' || Array.isArray(body)) {
        throw new InputError('body: must be a JSON object');
      }
      for (const key of Object.keys(body)) {
        if (key !== 'prompt') {
          throw new InputError(`${key}: unknown field`);
        }
      }
      if (
        body.prompt !== undefined &&
        (typeof body.prompt !== 'string' ||
          body.prompt.trim() === '' ||
          body.prompt.length > 65536)
      ) {
        throw new InputError('prompt: must be a non-empty string');
      }
      if (body.prompt !== undefined && action !== 'continue') {
        throw new InputError(`prompt: only continue takes a prompt`);
      }
      const run = await findByName<AgentDispatchRun>(
        req,
        'AgentDispatchRun',
        req.params.run,
      );
      const credentials = await service.access.authorize(
        req,
        ACTION_PERMISSIONS[action],
        run,
      );
      const updated = await audited(
        auditor,
        req,
        `run-${action}`,
        { namespace: run.metadata.namespace, run: run.metadata.name },
        () =>
          dispatch.act(run, action, {
            prompt: body.prompt as string | undefined,
            actor: ResourceAccess.actorOf(credentials),
          }),
      );
      res.status(action === 'cancel' ? 200 : 202).json(updated);
    },
  );

  /** The caller's user and group refs; none for a service, which is no named approver. */
  async function ownershipOf(credentials: any): Promise<string[] | undefined> {
    if (!userInfo) {
      return undefined;
    }
    if (credentials.principal?.type !== 'user') {
      return [];
    }
    return (await userInfo.getUserInfo(credentials)).ownershipEntityRefs;
  }

  router.post('/approvals/:approval/decision', async (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new InputError('body: must be a JSON object');
    }
    for (const key of Object.keys(body)) {
      if (key !== 'decision' && key !== 'reason') {
        throw new InputError(`${key}: unknown field`);
      }
    }
    if (body.decision !== 'approve' && body.decision !== 'reject') {
      throw new InputError("decision: must be 'approve' or 'reject'");
    }
    if (
      body.reason !== undefined &&
      (typeof body.reason !== 'string' || body.reason.length > 4096)
    ) {
      throw new InputError(
        'reason: must be a string of at most 4096 characters',
      );
    }
    const approval = await findByName<AgentApproval>(
      req,
      'AgentApproval',
      req.params.approval,
    );
    const credentials = await service.access.authorize(
      req,
      approvalDecidePermission,
      approval,
    );
    const ownership = await ownershipOf(credentials);
    const decided = await audited(
      auditor,
      req,
      'approval-decision',
      {
        namespace: approval.metadata.namespace,
        approval: approval.metadata.name,
        decision: body.decision,
      },
      () =>
        approvals.decide({
          approval,
          verdict: body.decision as 'approve' | 'reject',
          reason: body.reason as string | undefined,
          actor: ResourceAccess.actorOf(credentials),
          ownership,
        }),
    );
    res.json(decided);
  });

  return router;
}
