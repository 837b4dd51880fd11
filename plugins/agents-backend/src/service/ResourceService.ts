import { AuditorService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  agentsResourcePermission,
  AgentsResourceAction,
} from '@krate/plugin-agents-common';
import { Request } from 'express';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { MethodNotAllowedError } from './MethodNotAllowedError';
import { assertValidSchedule } from '../triggers/schedules/assertValidSchedule';
import { assertValidBudget } from '../budgets/assertValidBudget';
import {
  ListOptions,
  ListResult,
  ResourceStore,
  StoredResource,
  WriteOptions,
} from '../resources/ResourceStore';

/**
 * Records only the dispatch engine writes: a forged attempt, approval or session could run an
 * agent outside its stack's policy or skip a human gate. They change through the run and
 * approval routes instead. Trigger executions and webhook deliveries say what a rule did with
 * each event; only the trigger routes record them.
 */
const ENGINE_OWNED_KINDS: Record<string, string> = {
  AgentDispatchRun: 'POST /api/agents/runs and /runs/:run/<action>',
  AgentDispatchAttempt: 'POST /api/agents/runs and /runs/:run/<action>',
  AgentContextBundle: 'POST /api/agents/runs',
  AgentSession: 'POST /api/agents/runs',
  AgentApproval: 'POST /api/agents/approvals/:approval/decision',
  AgentReviewArtifact:
    'POST /api/agents/runs/:run/artifacts/collect and /artifacts/:artifact/write-back',
  AgentTriggerExecution:
    'POST /api/agents/rules/:rule/dry-run or /api/agents/webhooks/:endpoint',
  WebhookDelivery: 'POST /api/agents/webhooks/:endpoint',
};

/**
 * Records that change only through their own routes, which check what the generic routes cannot:
 * a memory update written here could claim an approval or a merge that never happened.
 */
const OWN_ROUTE_KINDS: Record<string, string> = {
  AgentMemoryUpdate:
    'POST /api/agents/memory/updates and /memory/updates/:org/:name/review or /merge',
};

/**
 * The permission-checked, audited operations on resources that every route (generic, typed,
 * apply) goes through.
 */
export class ResourceService {
  constructor(
    readonly store: ResourceStore,
    readonly access: ResourceAccess,
    private readonly auditor: AuditorService,
  ) {}

  async list(
    req: Request,
    kind: string,
    options: ListOptions,
  ): Promise<ListResult> {
    const { allowedNamespaces } = await this.access.listScope(
      req,
      agentsResourcePermission(kind, 'read'),
    );
    return this.store.list(kind, {
      ...options,
      allowedNamespaces,
      withResourceVersion: true,
    });
  }

  async get(req: Request, kind: string, namespace: string, name: string) {
    const object = await this.store.get(kind, namespace, name);
    if (!object) {
      throw new NotFoundError(`${kind} ${namespace}/${name} not found`);
    }
    await this.access.authorize(
      req,
      agentsResourcePermission(kind, 'read'),
      object,
    );
    return object;
  }

  /** With `dryRun` the store checks everything and writes nothing; no audit event either. */
  create(req: Request, object: StoredResource, options: WriteOptions = {}) {
    assertValidSchedule(object);
    assertValidBudget(object);
    return this.#mutate(
      req,
      'create',
      object,
      actor => this.store.create(object, { actor }, options),
      options,
    );
  }

  async update(
    req: Request,
    object: StoredResource,
    options: WriteOptions = {},
  ) {
    assertValidSchedule(object);
    assertValidBudget(object);
    const { kind, metadata } = object;
    await this.get(req, kind, metadata.namespace, metadata.name);
    return this.#mutate(
      req,
      'update',
      object,
      actor => this.store.update(object, { actor }, options),
      options,
    );
  }

  async updateStatus(req: Request, object: StoredResource) {
    const { kind, metadata } = object;
    await this.get(req, kind, metadata.namespace, metadata.name);
    return this.#mutate(req, 'update', object, actor =>
      this.store.updateStatus(object, { actor }),
    );
  }

  async delete(
    req: Request,
    kind: string,
    namespace: string,
    name: string,
    options?: WriteOptions,
  ) {
    const stored = await this.get(req, kind, namespace, name);
    return this.#mutate(req, 'delete', stored, actor =>
      this.store.delete(kind, namespace, name, { actor }, options),
    );
  }

  /** Checks the permission on the object, then runs the write inside an audit event. */
  async #mutate(
    req: Request,
    action: Exclude<AgentsResourceAction, 'read'>,
    object: StoredResource,
    write: (actor: string) => Promise<StoredResource>,
    options: WriteOptions = {},
  ): Promise<StoredResource> {
    const ownRoute = OWN_ROUTE_KINDS[object.kind];
    if (ownRoute) {
      throw new MethodNotAllowedError(
        `${object.kind} records cannot be written through this route; use ${ownRoute}`,
      );
    }
    const route = ENGINE_OWNED_KINDS[object.kind];
    if (route) {
      throw new NotAllowedError(
        `${object.kind} records are written by the dispatch engine; use ${route}`,
      );
    }
    const credentials = await this.access.authorize(
      req,
      agentsResourcePermission(object.kind, action),
      object,
    );
    if (options.dryRun) {
      return write(ResourceAccess.actorOf(credentials));
    }
    const target = {
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    };
    const event = await this.auditor.createEvent({
      eventId: 'resource-mutation',
      severityLevel: action === 'delete' ? 'high' : 'medium',
      request: req,
      meta: { action, ...target },
    });
    try {
      const result = await write(ResourceAccess.actorOf(credentials));
      await event.success({
        meta: { resourceVersion: result.metadata.resourceVersion ?? null },
      });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}
