import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { permissionResources } from './permissionResources';
import { isInNamespace } from './rules';

const databases = createTestDatabases();

describe('permissionResources', () => {
  it('resolves stored objects, stands in for objects not created yet, and skips bad refs', async () => {
    const [databaseId] = databases.eachSupportedId();
    const { store } = await createTestStore(databases, databaseId[0]);
    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentStack',
        metadata: { name: 'reviewer', namespace: 'acme' },
        spec: { runtime: 'scripted' },
      },
      { actor: 'user:default/ana' },
    );
    const [stored, planned, unknownKind, malformed] = await permissionResources(
      store,
    )([
      'AgentStack:acme/reviewer',
      'AgentStack:globex/new-stack',
      'Pod:acme/x',
      'not a ref',
    ]);
    const [memory] = await permissionResources(store)([
      'AgentMemory:acme/memory',
    ]);
    expect(memory).toEqual({
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentMemory',
      metadata: { namespace: 'acme', name: 'memory' },
      spec: {},
    });
    expect(stored?.spec).toEqual({ runtime: 'scripted' });
    expect(planned).toEqual({
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentStack',
      metadata: { namespace: 'globex', name: 'new-stack' },
      spec: {},
    });
    expect(unknownKind).toBeUndefined();
    expect(malformed).toBeUndefined();

    // An org-scoped policy decides on the planned object by its org.
    expect(isInNamespace.apply(planned!, { namespaces: ['globex'] })).toBe(
      true,
    );
    expect(isInNamespace.apply(planned!, { namespaces: ['acme'] })).toBe(false);
  });
});
