import { compareWithLive } from './compareWithLive';
import { apiMessageOf, apiStatusOf } from './kubernetesApiErrors';
import { describeNative, NativeObject } from './NativeObject';
import { NativeRbacClient } from './NativeRbacClient';
import { Projection } from './RbacProjection';

/** What applying a projection found and did. */
export interface ProjectionOutcome {
  /** Created or replaced now. */
  written: NativeObject[];
  /** Owned objects the projection no longer wants, deleted now. */
  removed: NativeObject[];
  /** Desired names held by objects Krate does not own; nothing was written. */
  taken: NativeObject[];
  /** Owned objects edited in the cluster since they were projected; left as they are. */
  drifted: { object: NativeObject; differences: string[] }[];
  /** Owned objects deleted in the cluster since they were projected; not recreated. */
  missing: NativeObject[];
  /** The cluster refused a write: no further writes were tried. */
  failure?: { reason: string; message: string };
  /** For an adopted (unmanaged) object: whether it exists. */
  externalFound?: boolean;
}

export interface ApplyProjectionOptions {
  client: NativeRbacClient;
  /** The objects in the cluster that carry this owner's labels. */
  owned: NativeObject[];
  /**
   * Whether this version of the Krate object was projected before: then a missing object was
   * deleted by hand, which is drift to show rather than undo.
   */
  projectedBefore: boolean;
}

/** Write refusals the Krate object's author can act on, as condition reasons. */
const REFUSALS: Record<number, string> = {
  403: 'Forbidden',
  404: 'NamespaceNotFound',
  422: 'Rejected',
};

const keyOf = (o: NativeObject) =>
  `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * Brings the cluster to a projection, as far as native RBAC's authority allows: objects Krate
 * does not own are never written, objects edited or deleted in the cluster since this version was
 * projected are reported and left alone, and an object projected from an older version is
 * replaced. Owned objects the projection does not want are deleted.
 */
export async function applyProjection(
  projection: Projection,
  options: ApplyProjectionOptions,
): Promise<ProjectionOutcome> {
  const { client, owned, projectedBefore } = options;
  const outcome: ProjectionOutcome = {
    written: [],
    removed: [],
    taken: [],
    drifted: [],
    missing: [],
  };
  const ownedByKey = new Map(owned.map(o => [keyOf(o), o]));
  const wanted = new Set(projection.objects.map(keyOf));
  if (projection.external) wanted.add(keyOf(projection.external));

  const plans = await Promise.all(
    projection.objects.map(async desired => {
      const live =
        ownedByKey.get(keyOf(desired)) ?? (await client.read(desired));
      return { desired, live, state: compareWithLive(desired, live) };
    }),
  );
  outcome.taken = plans
    .filter(p => p.state.state === 'NotOwned')
    .map(p => p.desired);

  for (const { desired, live, state } of plans) {
    if (outcome.taken.length || outcome.failure) break;
    switch (state.state) {
      case 'Missing':
        if (projectedBefore) {
          outcome.missing.push(desired);
        } else {
          await write(outcome, desired, () => client.create(desired));
        }
        break;
      case 'Outdated': {
        const replacement = {
          ...desired,
          metadata: {
            ...desired.metadata,
            resourceVersion: live!.metadata.resourceVersion,
          },
        };
        await write(outcome, desired, () => client.replace(replacement));
        break;
      }
      case 'Drifted':
        outcome.drifted.push({
          object: live!,
          differences: state.differences,
        });
        break;
      default:
        break;
    }
  }

  for (const object of owned) {
    if (!wanted.has(keyOf(object))) {
      await client.delete(object);
      outcome.removed.push(object);
    }
  }

  if (projection.external) {
    outcome.externalFound = Boolean(await client.read(projection.external));
  }
  return outcome;
}

/** Runs a write; a refusal in REFUSALS becomes the outcome's failure. */
async function write(
  outcome: ProjectionOutcome,
  desired: NativeObject,
  run: () => Promise<NativeObject>,
) {
  try {
    outcome.written.push(await run());
  } catch (error) {
    const reason = REFUSALS[apiStatusOf(error) ?? 0];
    if (!reason) throw error;
    outcome.failure = {
      reason,
      message: `The cluster refused to write ${describeNative(
        desired,
      )}: ${apiMessageOf(error)}`,
    };
  }
}
