import { ConflictError } from '@backstage/errors';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';

/**
 * Reads an object, changes its status and writes it back guarded by the resource version read,
 * retrying when another writer got in between (an approval decision, a cancel request).
 */
export async function patchStatus(
  store: ResourceStore,
  ref: { kind: string; namespace: string; name: string },
  change: (status: Record<string, any>) => Record<string, any>,
  actor: string,
): Promise<StoredResource> {
  for (let tries = 1; ; tries++) {
    const stored = await store.get(ref.kind, ref.namespace, ref.name);
    if (!stored) {
      throw new Error(`${ref.kind} ${ref.namespace}/${ref.name} is gone`);
    }
    try {
      return await store.updateStatus(
        { ...stored, status: change({ ...(stored.status ?? {}) }) },
        { actor },
      );
    } catch (error) {
      if (!(error instanceof ConflictError) || tries >= 5) {
        throw error;
      }
    }
  }
}
