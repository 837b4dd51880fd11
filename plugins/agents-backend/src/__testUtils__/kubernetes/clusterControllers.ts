import { KubeObject } from './kubeObjects';
import { ObjectStore } from './ObjectStore';
import { ResourceOperations } from './ResourceOperations';
import { ResourceRegistry, ResourceType, typeKey } from './ResourceRegistry';

function storedTypes(registry: ResourceRegistry): ResourceType[] {
  const seen = new Map<string, ResourceType>();
  for (const type of registry.all()) {
    if (type.verbs.includes('list') && !seen.has(typeKey(type)))
      seen.set(typeKey(type), type);
  }
  return [...seen.values()];
}

/**
 * The garbage collector, reduced: when an owner is removed, every object naming its uid in
 * `ownerReferences` is deleted (background propagation).
 */
export function collectDependents(
  registry: ResourceRegistry,
  store: ObjectStore,
  operations: ResourceOperations,
) {
  return (ownerUid: string) => {
    for (const type of storedTypes(registry)) {
      for (const object of store.list(typeKey(type))) {
        if (object.metadata.ownerReferences?.some(o => o.uid === ownerUid)) {
          try {
            operations.delete(
              {
                type,
                namespace: object.metadata.namespace,
                name: object.metadata.name,
              },
              { propagationPolicy: 'Background' },
              false,
            );
          } catch {
            // Already gone: another owner's collection got it first.
          }
        }
      }
    }
  };
}

/**
 * The namespace controller: deletes everything in a terminating namespace, then the namespace
 * once its last object (e.g. a terminating pod) is gone.
 */
export function finalizeNamespaces(
  registry: ResourceRegistry,
  store: ObjectStore,
  operations: ResourceOperations,
) {
  const timers = new Set<NodeJS.Timeout>();
  const remaining = (namespace: string) =>
    storedTypes(registry)
      .filter(t => t.namespaced)
      .flatMap(type =>
        store.list(typeKey(type), namespace).map(object => ({ type, object })),
      );
  const finalize = (namespace: KubeObject) => {
    const name = namespace.metadata.name ?? '';
    for (const { type, object } of remaining(name)) {
      try {
        operations.delete(
          { type, namespace: name, name: object.metadata.name },
          {},
          false,
        );
      } catch {
        // Gone meanwhile.
      }
    }
    const schedule = (delayMs: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (remaining(name).length > 0) {
          schedule(50);
          return;
        }
        const current = store.get('/namespaces', undefined, name);
        const namespaceType = registry.require('', 'v1', 'namespaces');
        if (current) operations.remove(namespaceType, current);
      }, delayMs);
      timers.add(timer);
    };
    schedule(0);
  };
  return {
    finalize,
    stop: () => timers.forEach(t => clearTimeout(t)),
  };
}
