import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { StoredResource } from '../resources/ResourceStore';
import { errorResponses } from './errorResponses';
import { createResourceRoutes } from './resourceRoutes';
import { ResourceService } from './ResourceService';

const PATH =
  '/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentstacks/reviewer';

/** A stack whose stored version moves once — a controller's status write — before an update lands. */
function serviceWithOneRacingWrite() {
  let version = 1;
  let raced = false;
  const stored = (): StoredResource => ({
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentStack',
    metadata: {
      namespace: 'acme',
      name: 'reviewer',
      resourceVersion: String(version),
    },
    spec: { runtime: 'scripted', systemPrompt: 'Review' },
  });
  const updates: string[] = [];
  const service = {
    get: async () => stored(),
    update: async (_req: unknown, object: StoredResource) => {
      updates.push(object.metadata.resourceVersion!);
      if (!raced) {
        raced = true;
        version += 1;
      }
      if (object.metadata.resourceVersion !== String(version)) {
        throw new ConflictError('resourceVersion: the object changed');
      }
      return object;
    },
  } as unknown as ResourceService;
  const app = express()
    .use(express.json({ type: 'application/merge-patch+json' }))
    .use(createResourceRoutes(service))
    .use(errorResponses(mockServices.logger.mock()));
  return { app, updates };
}

describe('PATCH of a resource', () => {
  it('reads the object again when it moved meanwhile, unless the patch names a resourceVersion', async () => {
    const unnamed = serviceWithOneRacingWrite();
    const patched = await request(unnamed.app)
      .patch(PATH)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { systemPrompt: 'Review again' } });
    expect(patched.status).toBe(200);
    expect(patched.body.spec.systemPrompt).toBe('Review again');
    expect(unnamed.updates).toEqual(['1', '2']);

    const named = serviceWithOneRacingWrite();
    const refused = await request(named.app)
      .patch(PATH)
      .set('content-type', 'application/merge-patch+json')
      .send({
        metadata: { resourceVersion: '1' },
        spec: { systemPrompt: 'x' },
      });
    expect(refused.status).toBe(409);
    expect(named.updates).toEqual(['1']);
  });
});
