import { ResourceStore, StoredResource } from '../resources/ResourceStore';

/**
 * Changes an object's status with a function of its stored status, in one locked read-and-write,
 * so a concurrent writer (an approval decision, a cancel request) is never overwritten.
 */
export function patchStatus(
  store: ResourceStore,
  ref: { kind: string; namespace: string; name: string },
  change: (status: Record<string, any>) => Record<string, any>,
  actor: string,
): Promise<StoredResource> {
  return store.patchStatus(ref, change, { actor });
}
