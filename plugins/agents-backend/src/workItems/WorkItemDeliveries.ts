import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  WorkItem,
} from '@krate/plugin-agents-common';
import { isDeepStrictEqual } from 'node:util';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { ParsedDelivery } from '../triggers/parseDelivery';
import { TRIGGER_CONTROLLER_ACTOR } from '../triggers/TriggerDeliveries';
import { workItemName } from './workItemName';
import { WorkItemSnapshot, workItemOfDelivery } from './workItemOfDelivery';

/** The forge's `updated_at` of the state a WorkItem shows; an older delivery does not replace it. */
export const FORGE_UPDATED_ANNOTATION = 'agents.krate.dev/forge-updated-at';

const TRIES = 10;

/**
 * Keeps a WorkItem per issue and pull request the org's forge tells about: each `issues` and
 * `pull_request` delivery creates or updates the one named by {@link workItemName} with its
 * title, state, labels, url and head. What the portal adds (board column, context labels,
 * parent) stays. A delivery whose `updated_at` is older than the record's is ignored, so
 * redeliveries and deliveries that overtook each other never bring back an old state.
 */
export class WorkItemDeliveries {
  readonly #store: ResourceStore;
  readonly #logger: LoggerService;

  constructor(options: { store: ResourceStore; logger: LoggerService }) {
    this.#store = options.store;
    this.#logger = options.logger;
  }

  /** Called for every delivery before the rules see it, so their runs find the work item. */
  async onDelivery(parsed: ParsedDelivery): Promise<void> {
    const snapshot = workItemOfDelivery(parsed);
    if (!snapshot) return;
    try {
      await this.upsert(snapshot);
    } catch (error) {
      // The rules still run: a work item that cannot be written costs the projection only.
      this.#logger.warn(
        `Could not record ${snapshot.spec.kind} ${snapshot.spec.repository}#${snapshot.spec.number} of delivery ${parsed.deliveryId}: ${error}`,
      );
    }
  }

  /** Creates or updates the snapshot's WorkItem; answers the record as it stands. */
  async upsert(snapshot: WorkItemSnapshot): Promise<WorkItem> {
    const { namespace, spec } = snapshot;
    const name = workItemName(spec.repository, spec.kind, spec.number);
    for (let tries = 1; ; tries++) {
      const stored = (await this.#store.get('WorkItem', namespace, name)) as
        | WorkItem
        | undefined;
      try {
        if (!stored) {
          return (await this.#store.create(created(name, snapshot), {
            actor: TRIGGER_CONTROLLER_ACTOR,
          })) as WorkItem;
        }
        const next = updated(stored, snapshot);
        if (!next) return stored;
        return (await this.#store.update(next, {
          actor: TRIGGER_CONTROLLER_ACTOR,
        })) as WorkItem;
      } catch (error) {
        // Another delivery (or instance) wrote it meanwhile: read it again and decide anew.
        if (!(error instanceof ConflictError) || tries >= TRIES) throw error;
      }
    }
  }
}

function forgeTime(updatedAt: number | undefined): Record<string, string> {
  return updatedAt === undefined
    ? {}
    : { [FORGE_UPDATED_ANNOTATION]: new Date(updatedAt).toISOString() };
}

function created(name: string, snapshot: WorkItemSnapshot): StoredResource {
  return {
    apiVersion: AGENTS_API_GROUP_VERSION,
    kind: 'WorkItem',
    metadata: {
      name,
      namespace: snapshot.namespace,
      annotations: forgeTime(snapshot.updatedAt),
    },
    spec: snapshot.spec,
  };
}

/**
 * The stored WorkItem with the snapshot's fields, or undefined when the snapshot is older than
 * what it shows or changes nothing. Equal times apply: a forge's `updated_at` has whole seconds,
 * and of two events in one second the later delivered is the better guess.
 */
function updated(
  stored: WorkItem,
  snapshot: WorkItemSnapshot,
): StoredResource | undefined {
  const annotations = stored.metadata.annotations ?? {};
  const storedTime = Date.parse(annotations[FORGE_UPDATED_ANNOTATION] ?? '');
  if (
    snapshot.updatedAt !== undefined &&
    !Number.isNaN(storedTime) &&
    snapshot.updatedAt < storedTime
  ) {
    return undefined;
  }
  const { url: _url, head: _head, ...kept } = stored.spec;
  const spec = { ...kept, ...snapshot.spec };
  const nextAnnotations = { ...annotations, ...forgeTime(snapshot.updatedAt) };
  if (
    isDeepStrictEqual(spec, stored.spec) &&
    isDeepStrictEqual(nextAnnotations, annotations)
  ) {
    return undefined;
  }
  return {
    ...stored,
    metadata: { ...stored.metadata, annotations: nextAnnotations },
    spec,
  } as StoredResource;
}
