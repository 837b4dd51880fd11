import { InputError, NotFoundError } from '@backstage/errors';
import {
  AGENTS_PAGES_PATH,
  agentKinds,
  agentsObjectPath,
  agentsResourcePermission,
  findKind,
} from '@krate/plugin-agents-common';
import { Request } from 'express';
import { toResourceRef } from '../permissions/rules';
import Router from 'express-promise-router';
import { AuditStore } from '../database/AuditStore';
import { RuntimeRegistry } from '../runtimes/RuntimeRegistry';
import { StoredResource } from '../resources/ResourceStore';
import { listOrWatch } from './resourceRoutes';
import { objectFromBody, queryString } from './requestParsing';
import { ResourceService } from './ResourceService';

export interface TypedRoutesOptions {
  service: ResourceService;
  audit: AuditStore;
  runtimes: RuntimeRegistry;
}

function kind(name: string) {
  const definition = findKind(name);
  if (!definition) {
    throw new Error(`The typed routes need kind ${name}`);
  }
  return definition;
}

/** Typed create routes take the namespace from the body (or `?namespace=`). */
function createdObject(req: Request, kindName: string): StoredResource {
  const namespace =
    req.body?.metadata?.namespace ?? queryString(req, 'namespace');
  if (typeof namespace !== 'string' || namespace === '') {
    throw new InputError('metadata.namespace: is required');
  }
  return objectFromBody(req.body, { definition: kind(kindName), namespace });
}

/**
 * The routes of the spec's API sketch, as thin routes over the same resource service. The
 * permission review and the overviews have their own routes (permissionRoutes, identityRoutes).
 */
export function createTypedRoutes({
  service,
  audit,
  runtimes,
}: TypedRoutesOptions) {
  const router = Router();

  const listing = (path: string, kindName: string) =>
    router.get(path, async (req, res) => {
      await listOrWatch(req, res, service, kind(kindName), undefined, 'items');
    });
  const creating = (path: string, kindName: string) =>
    router.post(path, async (req, res) => {
      res
        .status(201)
        .json(await service.create(req, createdObject(req, kindName)));
    });

  listing('/stacks', 'AgentStack');
  creating('/stacks', 'AgentStack');
  listing('/identities', 'AgentServiceAccount');
  creating('/identities/service-accounts', 'AgentServiceAccount');
  listing('/permissions', 'AgentRoleBinding');
  creating('/permissions/role-bindings', 'AgentRoleBinding');
  listing('/secrets', 'AgentSecretGrant');
  creating('/secrets/grants', 'AgentSecretGrant');
  listing('/config/grants', 'AgentConfigGrant');
  creating('/config/grants', 'AgentConfigGrant');
  listing('/rules', 'AgentTriggerRule');
  listing('/approvals', 'AgentApproval');
  listing('/runs', 'AgentDispatchRun');

  router.get('/workspaces', async (req, res) => {
    // The workspace list filters by lifecycle state, which is the kind's indexed phase.
    const state = queryString(req, 'state');
    if (state !== undefined) {
      req.query.phase = state;
      delete req.query.state;
    }
    await listOrWatch(
      req,
      res,
      service,
      kind('AgentWorkspace'),
      undefined,
      'items',
    );
  });

  router.get('/runs/:run', async (req, res) => {
    const namespace = queryString(req, 'namespace');
    const { run } = req.params;
    if (namespace) {
      res.json(await service.get(req, 'AgentDispatchRun', namespace, run));
      return;
    }
    const found = await service.store.findByName('AgentDispatchRun', run);
    if (found.length === 0) {
      throw new NotFoundError(`AgentDispatchRun ${run} not found`);
    }
    if (found.length > 1) {
      throw new InputError(
        `namespace: run name ${run} exists in several namespaces; pass ?namespace=`,
      );
    }
    res.json(
      await service.get(
        req,
        'AgentDispatchRun',
        found[0].metadata.namespace,
        run,
      ),
    );
  });

  router.get('/capabilities', async (req, res) => {
    await service.access.credentials(req);
    res.json({
      items: runtimes.list().map(({ id, displayName, capabilities }) => ({
        id,
        displayName,
        capabilities,
      })),
    });
  });

  router.get(
    '/watch/orgs/:org/:plural(agentdispatchruns|agentapprovals)',
    async (req, res) => {
      const definition = kind(
        req.params.plural === 'agentdispatchruns'
          ? 'AgentDispatchRun'
          : 'AgentApproval',
      );
      req.query.watch = 'true';
      await listOrWatch(req, res, service, definition, req.params.org);
    },
  );

  router.get('/audit', async (req, res) => {
    const [kindName, namespace, name] = ['kind', 'namespace', 'name'].map(p => {
      const value = queryString(req, p);
      if (!value) throw new InputError(`${p}: is required`);
      return value;
    });
    if (!findKind(kindName)) {
      throw new InputError(`kind: unknown kind '${kindName}'`);
    }
    const limit = Number(queryString(req, 'limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw new InputError('limit: must be an integer from 1 to 500');
    }
    const before = queryString(req, 'before');
    if (before !== undefined && !/^\d+$/.test(before)) {
      throw new InputError('before: must be an audit record id');
    }
    await service.access.authorize(
      req,
      agentsResourcePermission(kindName, 'read'),
      {
        apiVersion: '',
        kind: kindName,
        metadata: { namespace, name },
        spec: {},
      },
    );
    const items = await audit.listForTarget({
      target: { kind: kindName, namespace, name },
      limit,
      before,
    });
    res.json({ items });
  });

  router.get('/search/documents', async (req, res) => {
    const configurationKinds = agentKinds.filter(
      k => k.category === 'configuration',
    );
    const limit = Number(queryString(req, 'limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw new InputError('limit: must be an integer from 1 to 500');
    }
    let [kindIndex, token] = decodeSearchCursor(
      queryString(req, 'continue'),
      configurationKinds.length,
    );
    const items = [];
    while (items.length < limit && kindIndex < configurationKinds.length) {
      const definition = configurationKinds[kindIndex];
      const page = await service.list(req, definition.kind, {
        limit: limit - items.length,
        continueToken: token,
      });
      items.push(
        ...page.items.map(object => ({
          title: `${object.metadata.name} (${definition.kind})`,
          text: [
            definition.description,
            (object.spec as { description?: string }).description,
          ]
            .filter(Boolean)
            .join(' — '),
          location: `${AGENTS_PAGES_PATH}/${agentsObjectPath(
            definition.kind,
            object.metadata.namespace,
            object.metadata.name,
          )}`,
          kind: definition.kind,
          namespace: object.metadata.namespace,
          // Search shows the document to whoever may see the object it stands for.
          authorization: { resourceRef: toResourceRef(object) },
        })),
      );
      token = page.continueToken;
      if (!token) {
        kindIndex++;
      }
    }
    const more = kindIndex < configurationKinds.length;
    res.json({
      items,
      ...(more ? { continue: encodeSearchCursor(kindIndex, token) } : {}),
    });
  });

  return router;
}

function encodeSearchCursor(kindIndex: number, token?: string) {
  return Buffer.from(JSON.stringify([kindIndex, token ?? null])).toString(
    'base64url',
  );
}

function decodeSearchCursor(
  cursor: string | undefined,
  kinds: number,
): [number, string | undefined] {
  if (!cursor) return [0, undefined];
  try {
    const [kindIndex, token] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (
      Number.isInteger(kindIndex) &&
      kindIndex >= 0 &&
      kindIndex < kinds &&
      (token === null || typeof token === 'string')
    ) {
      return [kindIndex, token ?? undefined];
    }
  } catch {
    // reported below
  }
  throw new InputError('continue: invalid continue token for this list');
}
