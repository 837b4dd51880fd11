import { InputError, isError } from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  agentsResourcePermission,
  AgentKindDefinition,
} from '@krate/plugin-agents-common';
import { Request, Response } from 'express';
import Router from 'express-promise-router';
import { applyMergePatch } from '../resources/mergePatch';
import { ListResult, StoredResource } from '../resources/ResourceStore';
import {
  kindFromPlural,
  listOptionsFrom,
  objectFromBody,
  queryString,
} from './requestParsing';
import { ResourceService } from './ResourceService';
import { streamWatch } from './watchStream';

/** How often a patch without a resourceVersion is tried against a stored object that moved. */
const PATCH_ATTEMPTS = 5;

/** Base path of the Kubernetes-style routes, as kubectl would address the API group. */
export const RESOURCE_BASE = `/apis/${AGENTS_API_GROUP_VERSION}`;

export function toListBody(
  definition: AgentKindDefinition,
  result: ListResult,
) {
  return {
    apiVersion: AGENTS_API_GROUP_VERSION,
    kind: `${definition.kind}List`,
    metadata: {
      resourceVersion: result.resourceVersion,
      ...(result.continueToken ? { continue: result.continueToken } : {}),
    },
    items: result.items,
  };
}

/**
 * Lists a kind, or watches it with `?watch=true` (server-sent events). Shared by the generic and
 * the typed routes.
 */
export async function listOrWatch(
  req: Request,
  res: Response,
  service: ResourceService,
  definition: AgentKindDefinition,
  namespace?: string,
  shape: 'kubernetes' | 'items' = 'kubernetes',
) {
  const options = listOptionsFrom(req, definition, namespace);
  const watch = queryString(req, 'watch');
  if (watch === 'true' || watch === '1') {
    const { allowedNamespaces } = await service.access.listScope(
      req,
      agentsResourcePermission(definition.kind, 'read'),
    );
    await streamWatch(req, res, service.store, {
      kind: definition.kind,
      namespace: options.namespace,
      allowedNamespaces,
      labelSelector: options.labelSelector,
      resourceVersion: queryString(req, 'resourceVersion'),
    });
    return;
  }
  const result = await service.list(req, definition.kind, options);
  if (shape === 'items') {
    res.json({
      items: result.items,
      ...(result.continueToken ? { continue: result.continueToken } : {}),
      resourceVersion: result.resourceVersion,
    });
  } else {
    res.json(toListBody(definition, result));
  }
}

function preconditionFrom(req: Request): string | undefined {
  const fromQuery = queryString(req, 'resourceVersion');
  const fromBody = req.body?.preconditions?.resourceVersion;
  if (fromBody !== undefined && typeof fromBody !== 'string') {
    throw new InputError('preconditions.resourceVersion: must be a string');
  }
  return fromQuery ?? fromBody;
}

/** list, get, create, replace, merge-patch, delete and watch for every kind. */
export function createResourceRoutes(service: ResourceService) {
  const router = Router();

  router.get(`${RESOURCE_BASE}/:plural`, async (req, res) => {
    await listOrWatch(req, res, service, kindFromPlural(req.params.plural));
  });

  router.get(
    `${RESOURCE_BASE}/namespaces/:namespace/:plural`,
    async (req, res) => {
      const definition = kindFromPlural(req.params.plural);
      await listOrWatch(req, res, service, definition, req.params.namespace);
    },
  );

  router.post(
    `${RESOURCE_BASE}/namespaces/:namespace/:plural`,
    async (req, res) => {
      const definition = kindFromPlural(req.params.plural);
      const object = objectFromBody(req.body, {
        definition,
        namespace: req.params.namespace,
      });
      res.status(201).json(await service.create(req, object));
    },
  );

  router.get(
    `${RESOURCE_BASE}/namespaces/:namespace/:plural/:name`,
    async (req, res) => {
      const { namespace, plural, name } = req.params;
      res.json(
        await service.get(req, kindFromPlural(plural).kind, namespace, name),
      );
    },
  );

  router.put(
    `${RESOURCE_BASE}/namespaces/:namespace/:plural/:name`,
    async (req, res) => {
      const { namespace, plural, name } = req.params;
      const definition = kindFromPlural(plural);
      const object = objectFromBody(req.body, { definition, namespace, name });
      res.json(await service.update(req, object));
    },
  );

  router.put(
    `${RESOURCE_BASE}/namespaces/:namespace/:plural/:name/status`,
    async (req, res) => {
      const { namespace, plural, name } = req.params;
      const definition = kindFromPlural(plural);
      const object = objectFromBody(req.body, { definition, namespace, name });
      res.json(await service.updateStatus(req, object));
    },
  );

  router.patch(
    `${RESOURCE_BASE}/namespaces/:namespace/:plural/:name`,
    async (req, res) => {
      const { namespace, plural, name } = req.params;
      const definition = kindFromPlural(plural);
      if (
        typeof req.body !== 'object' ||
        req.body === null ||
        Array.isArray(req.body)
      ) {
        throw new InputError('body: a merge patch must be a JSON object');
      }
      const named = req.body.metadata?.resourceVersion;
      const patchStored = async () => {
        const stored = await service.get(req, definition.kind, namespace, name);
        const patched = applyMergePatch(stored, req.body) as StoredResource;
        const resourceVersion = named ?? stored.metadata.resourceVersion;
        const object = objectFromBody(
          { ...patched, metadata: { ...patched.metadata, resourceVersion } },
          { definition, namespace, name },
        );
        return service.update(req, object);
      };
      // A patch that names no resourceVersion applies to whatever is stored now: a controller's
      // status write in between is read again, as the Kubernetes API server does.
      for (let attempt = 1; ; attempt++) {
        try {
          res.json(await patchStored());
          return;
        } catch (error) {
          const retry =
            named === undefined &&
            attempt < PATCH_ATTEMPTS &&
            isError(error) &&
            error.name === 'ConflictError';
          if (!retry) throw error;
        }
      }
    },
  );

  router.delete(
    `${RESOURCE_BASE}/namespaces/:namespace/:plural/:name`,
    async (req, res) => {
      const { namespace, plural, name } = req.params;
      const definition = kindFromPlural(plural);
      res.json(
        await service.delete(req, definition.kind, namespace, name, {
          resourceVersion: preconditionFrom(req),
        }),
      );
    },
  );

  return router;
}
