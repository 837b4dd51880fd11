import {
  AGENTS_API_GROUP_VERSION,
  findKind,
} from '@krate/plugin-agents-common';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { parseResourceRef } from './rules';

/** An org's memory is no stored object; its ref, `AgentMemory:<org>/memory`, stands for it. */
export const MEMORY_RESOURCE_KIND = 'AgentMemory';

/**
 * The objects conditional permission decisions are applied to, by resource ref. A ref of an
 * object that does not exist yet stands for the object it names — "may I create AgentStack
 * acme/reviewer" — so org-scoped policies answer for new objects too, as the apply route does
 * for the documents it is about to create; an org's memory is decided the same way. Malformed
 * refs and unknown kinds resolve to nothing.
 */
export function permissionResources(store: ResourceStore) {
  return (refs: string[]): Promise<(StoredResource | undefined)[]> =>
    Promise.all(
      refs.map(async ref => {
        const parsed = parseResourceRef(ref);
        if (!parsed) {
          return undefined;
        }
        const { kind, namespace, name } = parsed;
        if (kind === MEMORY_RESOURCE_KIND) {
          return standIn(kind, namespace, name);
        }
        if (!findKind(kind)) {
          return undefined;
        }
        return (
          (await store.get(kind, namespace, name)) ??
          standIn(kind, namespace, name)
        );
      }),
    );
}

function standIn(
  kind: string,
  namespace: string,
  name: string,
): StoredResource {
  return {
    apiVersion: AGENTS_API_GROUP_VERSION,
    kind,
    metadata: { namespace, name },
    spec: {},
  };
}
