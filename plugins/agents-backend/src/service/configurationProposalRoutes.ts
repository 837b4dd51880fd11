import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  agentsResourcePermission,
  findKind,
  WRITE_BACK_BODY_LIMIT,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { StoredResource } from '../resources/ResourceStore';
import { ConfigurationProposals } from '../writeback/configuration/ConfigurationProposals';
import { audited } from './audited';
import { assertValid, queryString } from './requestParsing';
import { ResourceService } from './ResourceService';

export interface ConfigurationProposalRoutesOptions {
  service: ResourceService;
  proposals: ConfigurationProposals;
  auditor: AuditorService;
}

const FIELDS = ['object', 'target', 'title', 'body'];

function optionalText(
  body: Record<string, unknown>,
  field: string,
  limit: number,
): string | undefined {
  const value = body[field];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`${field}: must be a non-empty string`);
  }
  if (value.length > limit) {
    throw new InputError(`${field}: at most ${limit} characters`);
  }
  return value;
}

/** The configuration object of a proposal request: of a configuration kind, named and valid. */
function proposedObject(body: Record<string, unknown>): StoredResource {
  const object = body.object as StoredResource | undefined;
  if (!object || typeof object !== 'object' || Array.isArray(object)) {
    throw new InputError('object: must be a configuration object');
  }
  const definition =
    typeof object.kind === 'string' ? findKind(object.kind) : undefined;
  if (!definition) {
    throw new InputError(`object.kind: not an agents kind`);
  }
  if (definition.category !== 'configuration') {
    throw new InputError(
      `object.kind: ${definition.kind} is an execution record, not configuration`,
    );
  }
  try {
    assertValid(object);
  } catch (error) {
    throw new InputError(`object: ${(error as Error).message}`);
  }
  return object;
}

/**
 * Proposing configuration YAML to an org's configuration repository:
 * - `GET /configuration/proposals/targets?namespace=`: the repository and the targets that can
 *   write there;
 * - `GET /configuration/proposals?namespace=&kind=&name=`: an object's proposals;
 * - `POST /configuration/proposals`: proposes an object; it needs the permission applying the
 *   object would need (create, or update when it exists), and answers 201 for a new proposal,
 *   200 for the same proposal again.
 */
export function createConfigurationProposalRoutes({
  service,
  proposals,
  auditor,
}: ConfigurationProposalRoutesOptions) {
  const router = Router();

  router.get('/configuration/proposals/targets', async (req, res) => {
    await service.access.credentials(req);
    const namespace = queryString(req, 'namespace');
    if (!namespace) {
      throw new InputError('namespace: is required');
    }
    res.json(await proposals.targets(namespace));
  });

  router.get('/configuration/proposals', async (req, res) => {
    const namespace = queryString(req, 'namespace');
    const kind = queryString(req, 'kind');
    const name = queryString(req, 'name');
    for (const [field, value] of Object.entries({ namespace, kind, name })) {
      if (!value) {
        throw new InputError(`${field}: is required`);
      }
    }
    const definition = findKind(kind!);
    if (!definition || definition.category !== 'configuration') {
      throw new InputError(`kind: not a configuration kind`);
    }
    await service.access.authorize(
      req,
      agentsResourcePermission(definition.kind, 'read'),
      {
        apiVersion: '',
        kind: definition.kind,
        metadata: { namespace: namespace!, name: name! },
      } as StoredResource,
    );
    res.json({
      items: await proposals.forObject(namespace!, definition.kind, name!),
    });
  });

  router.post('/configuration/proposals', async (req, res) => {
    await service.access.credentials(req);
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new InputError('body: must be a JSON object');
    }
    const unknown = Object.keys(body).filter(key => !FIELDS.includes(key));
    if (unknown.length > 0) {
      throw new InputError(
        `${unknown[0]}: unknown field; a proposal has ${FIELDS.join(', ')}`,
      );
    }
    const object = proposedObject(body);
    const target = optionalText(body, 'target', 63);
    const title = optionalText(body, 'title', 256);
    const description = optionalText(body, 'body', WRITE_BACK_BODY_LIMIT);
    const { kind } = object;
    const { namespace, name } = object.metadata;
    const stored = await service.store.get(kind, namespace, name);
    const credentials = await service.access.authorize(
      req,
      agentsResourcePermission(kind, stored ? 'update' : 'create'),
      stored ?? object,
    );
    const { proposal, created } = await audited(
      auditor,
      req,
      'configuration-proposal',
      { kind, namespace, name },
      () =>
        proposals.propose(
          object,
          { target, title, body: description },
          ResourceAccess.actorOf(credentials),
        ),
    );
    res.status(created ? 201 : 200).json(proposal);
  });

  return router;
}
