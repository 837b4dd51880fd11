import { Condition } from '@krate/plugin-agents-common';
import {
  stampConditions,
  UnstampedCondition,
} from '../../controllers/stampConditions';
import { StoredResource } from '../../resources/ResourceStore';
import { ProjectionOutcome } from './applyProjection';
import { describeNative } from './NativeObject';
import { describeObjects, Projection } from './RbacProjection';
import { MANAGED_BY_KRATE, MANAGED_BY_LABEL } from './projectionLabels';

export const PROJECTED_CONDITION = 'Projected';
export const IN_SYNC_CONDITION = 'InSync';
const OWN_CONDITIONS = [PROJECTED_CONDITION, IN_SYNC_CONDITION];

/** Whether the object's status says this version of it was projected. */
export function wasProjected(object: StoredResource): boolean {
  const status = object.status ?? {};
  const conditions = (status.conditions ?? []) as Condition[];
  return (
    status.observedGeneration === object.metadata.generation &&
    conditions.some(c => c.type === PROJECTED_CONDITION && c.status === 'True')
  );
}

/** What a projection sets in an object's status; an undefined field is removed. */
export interface ProjectionStatus {
  fields: Record<string, unknown>;
  /** The `Projected` and `InSync` conditions, stamped. */
  conditions: Condition[];
}

/**
 * The status a projection gives its object: the `Projected` and `InSync` conditions,
 * observedGeneration, and the fields its kind has for them.
 */
export function projectionStatus(
  object: StoredResource,
  projection: Projection,
  outcome: ProjectionOutcome,
  now: Date,
): ProjectionStatus {
  const previous = object.status ?? {};
  const unstamped = projectionConditions(object, projection, outcome);
  const conditions = stampConditions(
    unstamped,
    (previous.conditions ?? []) as Condition[],
    now,
  );
  const projected = unstamped[0].status === 'True';
  const inSync = !unstamped.some(c => c.status === 'False');
  const lastSyncTime =
    outcome.written.length || outcome.removed.length
      ? now.toISOString()
      : previous.lastSyncTime;
  const fields: Record<string, unknown> = {
    observedGeneration: object.metadata.generation,
  };
  if (object.kind === 'AgentServiceAccount') {
    fields.synced = projected && inSync;
    fields.lastSyncTime = lastSyncTime;
  }
  if (object.kind === 'AgentRoleBinding') {
    const binding = projection.objects[0];
    fields.lastSyncTime = lastSyncTime;
    fields.nativeRoleBinding = binding?.metadata.name;
    fields.drift = undefined;
    fields.driftDetails = undefined;
    if (projected && binding) {
      if (outcome.missing.length) fields.drift = 'Missing';
      else if (outcome.drifted.length) {
        fields.drift = 'Drifted';
        fields.driftDetails = outcome.drifted.flatMap(d => d.differences);
      } else fields.drift = 'InSync';
    }
  }
  return { fields, conditions };
}

/** `status` with a projection's fields and conditions; other writers' conditions are kept. */
export function withProjectionStatus(
  status: Record<string, any>,
  projection: ProjectionStatus,
): Record<string, any> {
  const next: Record<string, any> = { ...status };
  for (const [field, value] of Object.entries(projection.fields)) {
    if (value === undefined) delete next[field];
    else next[field] = value;
  }
  next.conditions = [
    ...((status.conditions ?? []) as Condition[]).filter(
      c => !OWN_CONDITIONS.includes(c.type),
    ),
    ...projection.conditions,
  ];
  return next;
}

function projectionConditions(
  object: StoredResource,
  projection: Projection,
  outcome: ProjectionOutcome,
): UnstampedCondition[] {
  const notes = projection.notes.length
    ? ` Note: ${projection.notes.join('; ')}.`
    : '';
  if (projection.skipped) {
    return [
      {
        type: PROJECTED_CONDITION,
        status: 'False',
        ...projection.skipped,
      },
    ];
  }
  if (outcome.taken.length) {
    return [
      {
        type: PROJECTED_CONDITION,
        status: 'False',
        reason: 'NameTaken',
        message: `${describeObjects(
          outcome.taken,
        )} already exists without the label ${MANAGED_BY_LABEL}=${MANAGED_BY_KRATE}; Krate does not overwrite native RBAC it does not own. Delete or rename it, or label it to hand it to Krate.`,
      },
    ];
  }
  if (outcome.failure) {
    return [
      {
        type: PROJECTED_CONDITION,
        status: 'False',
        ...outcome.failure,
      },
    ];
  }
  if (projection.external) {
    const ref = describeNative(projection.external);
    return [
      outcome.externalFound
        ? {
            type: PROJECTED_CONDITION,
            status: 'True',
            reason: 'External',
            message: `${ref} exists and is managed outside Krate (spec.managed: false).${notes}`,
          }
        : {
            type: PROJECTED_CONDITION,
            status: 'False',
            reason: 'ServiceAccountNotFound',
            message: `${ref} does not exist; with spec.managed: false Krate does not create it. Create it, or set spec.managed to true.`,
          },
    ];
  }
  const projected: UnstampedCondition = {
    type: PROJECTED_CONDITION,
    status: 'True',
    reason: 'Projected',
    message: `Projected to ${describeObjects(projection.objects)}.${notes}`,
  };
  const changes = [
    ...outcome.drifted.map(
      d =>
        `${describeNative(
          d.object,
        )} was changed in the cluster (${d.differences.join('; ')})`,
    ),
    ...outcome.missing.map(
      m => `${describeNative(m)} was deleted in the cluster`,
    ),
  ];
  const inSync: UnstampedCondition = changes.length
    ? {
        type: IN_SYNC_CONDITION,
        status: 'False',
        reason: 'Drifted',
        message: `${changes.join(
          '. ',
        )}. Native RBAC is authoritative: Krate shows the change and does not revert it; change the ${
          object.kind
        } to project it again.`,
      }
    : {
        type: IN_SYNC_CONDITION,
        status: 'True',
        reason: 'InSync',
        message: 'The native objects match the projection.',
      };
  return [projected, inSync];
}
