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
    await writer.update(ref, status => ({ ...status, late: true }));
    expect(
      (await store.get('AgentDispatchRun', 'acme', 'r'))?.status?.late,
    ).toBe(true);
  });

  it('never takes an object out of a terminal phase, and writes nothing once closed', async () => {
    const { store } = await createTestStore(databases, 'SQLITE_3');
    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentDispatchRun',
        metadata: { name: 'r', namespace: 'acme' },
        spec: { stack: 's', prompt: 'p' },
        status: { phase: 'Waiting', reason: 'ApprovalBlocked' },
      },
      { actor: 'test' },
    );
    const writer = new StatusWriter(store, 'test', mockServices.logger.mock());
    const ref = { kind: 'AgentDispatchRun', namespace: 'acme', name: 'r' };
    const failed = writer.update(ref, status => ({
      ...status,
      phase: 'Failed',
      reason: 'TimedOut',
      message: 'out of budget',
      completionTime: '2026-11-24T10:00:00.000Z',
    }));
    // The gate's decision arrives after the end, merged into the same write or the next one.
    const late = writer.update(ref, status => ({
      ...status,
      phase: 'Running',
      reason: 'Running',
      message: 'the approval expired without a decision',
      completionTime: undefined,
      cost: { usd: 1, inputTokens: 2, outputTokens: 3 },
    }));
    await Promise.all([failed, late]);
    expect((await store.get('AgentDispatchRun', 'acme', 'r'))?.status).toEqual({
      phase: 'Failed',
      reason: 'TimedOut',
      message: 'out of budget',
      completionTime: '2026-11-24T10:00:00.000Z',
      cost: { usd: 1, inputTokens: 2, outputTokens: 3 },
    });

    writer.close();
    await writer.update(ref, status => ({ ...status, late: true }));
    expect(
      (await store.get('AgentDispatchRun', 'acme', 'r'))?.status?.late,
    ).toBeUndefined();
  });

  it('keeps a lazy change for the next write of its object, and writes it on settle', async () => {
    const { store } = await createTestStore(databases, 'SQLITE_3');
    const created = await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentDispatchRun',
        metadata: { name: 'r', namespace: 'acme' },
        spec: { stack: 's', prompt: 'p' },
        status: { phase: 'Running' },
      },
      { actor: 'test' },
    );
    const versionOf = async () =>
      Number(
        (await store.get('AgentDispatchRun', 'acme', 'r'))!.metadata
          .resourceVersion,
      );
    const writer = new StatusWriter(store, 'test', mockServices.logger.mock());
    const ref = { kind: 'AgentDispatchRun', namespace: 'acme', name: 'r' };

    void writer.update(ref, status => ({ ...status, cost: 1 }), { lazy: true });
    await writer.settle({ keepLazy: true });
    expect(await versionOf()).toBe(Number(created.metadata.resourceVersion));

    await writer.update(ref, status => ({ ...status, phase: 'Succeeded' }));
    const written = await store.get('AgentDispatchRun', 'acme', 'r');
    expect(written?.status).toMatchObject({ phase: 'Succeeded', cost: 1 });
    expect(await versionOf()).toBe(
      Number(created.metadata.resourceVersion) + 1,
    );

    void writer.update(ref, status => ({ ...status, cost: 2 }), { lazy: true });
    await writer.settle();
    expect(
      (await store.get('AgentDispatchRun', 'acme', 'r'))?.status?.cost,
    ).toBe(2);
    writer.close();
  });
});
