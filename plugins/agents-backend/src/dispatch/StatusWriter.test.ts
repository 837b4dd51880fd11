import { mockServices } from '@backstage/backend-test-utils';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { StatusWriter } from './StatusWriter';

const databases = createTestDatabases();

describe('StatusWriter', () => {
  it('writes changes of one object in order, merging those queued while a write is in flight', async () => {
    const { store } = await createTestStore(databases, 'SQLITE_3');
    const created = await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentDispatchRun',
        metadata: { name: 'r', namespace: 'acme' },
        spec: { stack: 's', prompt: 'p' },
        status: { phase: 'Queued' },
      },
      { actor: 'test' },
    );
    const writer = new StatusWriter(store, 'test', mockServices.logger.mock());
    const ref = { kind: 'AgentDispatchRun', namespace: 'acme', name: 'r' };
    const steps = ['Running', 'Waiting', 'Running', 'Succeeded'];
    await Promise.all(
      steps.map(phase =>
        writer.update(ref, status => ({
          ...status,
          phase,
          history: [...(status.history ?? []), phase],
        })),
      ),
    );
    const written = await store.get('AgentDispatchRun', 'acme', 'r');
    expect(written?.status).toMatchObject({
      phase: 'Succeeded',
      history: steps,
    });
    const writes =
      Number(written!.metadata.resourceVersion) -
      Number(created.metadata.resourceVersion);
    expect(writes).toBeLessThan(steps.length);

    // A change queued right after the writer went idle is still written.
    await writer.settle();
    await writer.update(ref, status => ({ ...status, reason: 'Late' }));
    expect(
      (await store.get('AgentDispatchRun', 'acme', 'r'))?.status?.reason,
    ).toBe('Late');
  });
});
