import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { FeedReconciler } from '../../controllers/ChangeFeedLoop';
import { jsonEqual } from '../../resources/digest';
import {
  ResourceStore,
  StoredResource,
  WatchEvent,
} from '../../resources/ResourceStore';
import { KubernetesNamespaces } from '../KubernetesNamespaces';
import { applyProjection } from './applyProjection';
import { NativeKind, NativeObject } from './NativeObject';
import { NativeRbacClient } from './NativeRbacClient';
import {
  projectionStatus,
  wasProjected,
  withProjectionStatus,
} from './projectionStatus';
import { projectRbac } from './RbacProjection';
import {
  MANAGED_BY_KRATE,
  MANAGED_BY_LABEL,
  Owner,
  ownerOf,
  OWNER_KIND_LABEL,
  OWNER_NAME_LABEL,
  OWNER_NAMESPACE_LABEL,
  PROJECTED_KINDS,
} from './projectionLabels';

const BATCH = 500;

/** The native kinds each Krate kind may own. */
const OWNED_KINDS: Record<string, NativeKind[]> = {
  AgentServiceAccount: ['ServiceAccount'],
  AgentRoleBinding: ['RoleBinding', 'ClusterRoleBinding'],
  AgentSecretGrant: ['Role', 'RoleBinding'],
  AgentConfigGrant: ['Role', 'RoleBinding'],
};
const NATIVE_KINDS: NativeKind[] = [
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ClusterRoleBinding',
];

export interface RbacProjectionReconcilerOptions {
  store: ResourceStore;
  client: NativeRbacClient;
  namespaces: KubernetesNamespaces;
  logger: LoggerService;
  /** Who the status writes are by, in the audit trail. */
  actor: string;
  allowClusterScope?: boolean;
  now?: () => Date;
}

const ownerKey = (owner: Owner) =>
  `${owner.kind}/${owner.namespace}/${owner.name}`;

/**
 * Projects AgentServiceAccounts, AgentRoleBindings and grants to native RBAC, for a
 * {@link ChangeFeedLoop}: a change of a Krate object projects that object again (or removes
 * what it owned when it is gone); a full pass projects every object, removes owned native
 * objects whose owner is gone, and notices hand edits of the native objects.
 */
export class RbacProjectionReconciler implements FeedReconciler {
  readonly #options: RbacProjectionReconcilerOptions;
  readonly #now: () => Date;
  readonly #queued = new Map<string, Owner>();
  /** resourceVersion of each object as the last status write left it. */
  readonly #echoes = new Map<string, string>();

  constructor(options: RbacProjectionReconcilerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  note(event: WatchEvent) {
    const { kind, metadata } = event.object;
    if (!(PROJECTED_KINDS as readonly string[]).includes(kind)) return;
    const owner = { kind, namespace: metadata.namespace, name: metadata.name };
    const key = ownerKey(owner);
    if (event.type === 'DELETED') {
      this.#echoes.delete(key);
    } else if (this.#echoes.get(key) === metadata.resourceVersion) {
      return;
    }
    this.#queued.set(key, owner);
  }

  hasQueued(): boolean {
    return this.#queued.size > 0;
  }

  async reconcileAll() {
    this.#queued.clear();
    const objects = (
      await Promise.all(PROJECTED_KINDS.map(kind => this.#listAll(kind)))
    ).flat();
    const owned = new Map<string, NativeObject[]>();
    for (const kind of NATIVE_KINDS) {
      for (const object of await this.#options.client.listOwned(kind)) {
        const owner = ownerOf(object.metadata.labels);
        if (!owner) continue;
        const key = ownerKey(owner);
        owned.set(key, [...(owned.get(key) ?? []), object]);
      }
    }
    for (const object of objects) {
      const key = ownerKey(ownerOfObject(object));
      const ownedNow = owned.get(key) ?? [];
      owned.delete(key);
      await this.#reconcileLogged(object, () =>
        this.#reconcile(object, ownedNow),
      );
    }
    // What is left belongs to Krate objects that no longer exist.
    for (const orphans of owned.values()) {
      for (const orphan of orphans) {
        const owner = ownerOf(orphan.metadata.labels)!;
        if ((PROJECTED_KINDS as readonly string[]).includes(owner.kind)) {
          await this.#options.client.delete(orphan);
        }
      }
    }
  }

  async reconcileQueued() {
    const queued = [...this.#queued.values()];
    this.#queued.clear();
    for (const owner of queued) {
      try {
        const object = await this.#options.store.get(
          owner.kind,
          owner.namespace,
          owner.name,
        );
        const owned = await this.#listOwnedBy(owner);
        if (object) {
          await this.#reconcile(object, owned);
        } else {
          for (const orphan of owned) await this.#options.client.delete(orphan);
        }
      } catch (error) {
        this.#logFailure(owner, error);
        this.#queued.set(ownerKey(owner), owner);
      }
    }
  }

  async #reconcileLogged(object: StoredResource, run: () => Promise<void>) {
    try {
      await run();
    } catch (error) {
      const owner = ownerOfObject(object);
      this.#logFailure(owner, error);
      this.#queued.set(ownerKey(owner), owner);
    }
  }

  #logFailure(owner: Owner, error: unknown) {
    this.#options.logger.warn(
      `Could not project ${owner.kind} ${owner.namespace}/${owner.name} to native RBAC; it is retried on the next pass`,
      isError(error) ? error : undefined,
    );
  }

  async #reconcile(object: StoredResource, owned: NativeObject[]) {
    const now = this.#now();
    const projection = projectRbac(object, {
      clusterNamespace: this.#options.namespaces.toCluster(
        object.metadata.namespace,
      ),
      allowClusterScope: this.#options.allowClusterScope,
      now,
    });
    const outcome = await applyProjection(projection, {
      client: this.#options.client,
      owned,
      projectedBefore: wasProjected(object),
    });
    const status = projectionStatus(object, projection, outcome, now);
    const current = object.status ?? {};
    if (jsonEqual(withProjectionStatus(current, status), current)) return;
    let written: StoredResource;
    try {
      written = await this.#options.store.patchStatus(
        projection.owner,
        stored => withProjectionStatus(stored, status),
        { actor: this.#options.actor },
      );
    } catch (error) {
      // Deleted since it was read; the feed brings the deletion.
      if (isError(error) && error.name === 'NotFoundError') return;
      throw error;
    }
    this.#echoes.set(
      ownerKey(projection.owner),
      written.metadata.resourceVersion!,
    );
  }

  async #listOwnedBy(owner: Owner): Promise<NativeObject[]> {
    const selector = [
      `${MANAGED_BY_LABEL}=${MANAGED_BY_KRATE}`,
      `${OWNER_KIND_LABEL}=${owner.kind}`,
      `${OWNER_NAMESPACE_LABEL}=${owner.namespace}`,
      `${OWNER_NAME_LABEL}=${owner.name}`,
    ].join(',');
    const lists = await Promise.all(
      (OWNED_KINDS[owner.kind] ?? []).map(kind =>
        this.#options.client.list(kind, { labelSelector: selector }),
      ),
    );
    return lists.flat();
  }

  async #listAll(kind: string): Promise<StoredResource[]> {
    const items: StoredResource[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.#options.store.list(kind, {
        limit: BATCH,
        continueToken,
      });
      items.push(...page.items);
      continueToken = page.continueToken;
    } while (continueToken);
    return items;
  }
}

function ownerOfObject(object: StoredResource): Owner {
  return {
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  };
}
