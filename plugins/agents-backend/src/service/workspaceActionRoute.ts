import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  WORKSPACE_ACTIONS,
  workspaceActionPermission,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { ResourceAccess } from '../permissions/ResourceAccess';
import {
  WorkspaceAction,
  WorkspaceManager,
} from '../workspaces/WorkspaceManager';
import { queryString } from './requestParsing';
import { ResourceService } from './ResourceService';

export interface WorkspaceActionRouteOptions {
  service: ResourceService;
  workspaces: WorkspaceManager;
  auditor: AuditorService;
}

/**
 * `POST /workspaces/:workspace/action` with `{ namespace, action, …parameters }`: 200
 * `{ action, status }`, 201 when the action created the record (provision, link-existing).
 */
export function createWorkspaceActionRoute({
  service,
  workspaces,
  auditor,
}: WorkspaceActionRouteOptions) {
  const router = Router();
  router.get('/workspaces/:workspace/actions', async (req, res) => {
    const namespace = queryString(req, 'namespace');
    if (!namespace) {
      throw new InputError('namespace: is required');
    }
    const workspace = await service.get(
      req,
      'AgentWorkspace',
      namespace,
      req.params.workspace,
    );
    const [permitted] = await service.access.allowedOn(
      req,
      [workspaceActionPermission],
      workspace,
    );
    const actions = await workspaces.availability(
      namespace,
      req.params.workspace,
    );
    const permission = workspaceActionPermission.name;
    res.json({
      items: actions.map(({ action, refusal }) => {
        const reason = permitted
          ? refusal
          : `You may not run actions on this workspace (${permission})`;
        return {
          action,
          permission,
          allowed: !reason,
          ...(reason ? { reason } : {}),
        };
      }),
    });
  });

  router.post('/workspaces/:workspace/action', async (req, res) => {
    await service.access.credentials(req);
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InputError('body: must be a JSON object');
    }
    const { namespace, action, ...params } = body as Record<string, unknown>;
    if (typeof namespace !== 'string' || namespace === '') {
      throw new InputError('namespace: is required');
    }
    if (typeof action !== 'string' || action === '') {
      throw new InputError('action: is required');
    }
    if (!(WORKSPACE_ACTIONS as readonly string[]).includes(action)) {
      throw new InputError(
        `action: unknown action '${action}'; one of ${WORKSPACE_ACTIONS.join(
          ', ',
        )}`,
      );
    }
    const name = req.params.workspace;
    const target = { kind: 'AgentWorkspace', namespace, name };
    const stored = await service.store.get('AgentWorkspace', namespace, name);
    const credentials = await service.access.authorize(
      req,
      workspaceActionPermission,
      stored ?? {
        apiVersion: AGENTS_API_GROUP_VERSION,
        kind: 'AgentWorkspace',
        metadata: { namespace, name },
        spec: {},
      },
    );
    const actor = ResourceAccess.actorOf(credentials);
    const event = await auditor.createEvent({
      eventId: 'workspace-action',
      severityLevel: action === 'cleanup' ? 'high' : 'medium',
      request: req,
      meta: { action, ...target },
    });
    try {
      const result = await workspaces.perform({
        namespace,
        name,
        action: action as WorkspaceAction,
        params,
        actor,
        onPolicyViolation: async message => {
          const violation = await auditor.createEvent({
            eventId: 'workspace-policy-violation',
            severityLevel: 'high',
            request: req,
            meta: { action, ...target, actor },
          });
          await violation.fail({ error: new Error(message) });
        },
      });
      await event.success({ meta: { result: result.action.result } });
      res
        .status(result.created ? 201 : 200)
        .json({ action: result.action, status: result.status });
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });
  return router;
}
