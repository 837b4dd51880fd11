import { defineKind, ResourceOf } from './defineKind';
import { BaseStatusFields, Obj, StringEnum, Timestamp, Type } from './schema';

/**
 * Krate's intent for a native RoleBinding: who gets which Role or ClusterRole, in the org's
 * namespace or for one repository. Native RBAC stays authoritative; status reports drift.
 * @public
 */
export const AgentRoleBindingKind = defineKind({
  kind: 'AgentRoleBinding',
  plural: 'agentrolebindings',
  shortNames: ['arb'],
  category: 'configuration',
  description:
    'A Krate-managed projection to native Kubernetes RBAC: subjects, role reference and scope.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    subjects: Type.Array(
      Obj({
        kind: StringEnum(['user', 'team', 'service-account']),
        name: Type.String({
          minLength: 1,
          description:
            'Entity ref for users and teams (user:default/alice, group:default/payments); AgentServiceAccount name for service accounts',
        }),
      }),
      { minItems: 1 },
    ),
    roleRef: Obj({
      kind: StringEnum(['Role', 'ClusterRole']),
      name: Type.String({ minLength: 1 }),
    }),
    repository: Type.Optional(
      Type.String({
        description:
          '<org>/<repository> the binding is limited to; unset binds the whole namespace',
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    drift: Type.Optional(
      StringEnum(['InSync', 'Drifted', 'Missing'], {
        description: 'How the native RoleBinding compares with this spec',
      }),
    ),
    driftDetails: Type.Optional(Type.Array(Type.String())),
    nativeRoleBinding: Type.Optional(
      Type.String({
        description: 'Name of the native RoleBinding Krate maintains',
      }),
    ),
    lastSyncTime: Type.Optional(Timestamp()),
  }),
  printerColumns: [
    { name: 'Role', type: 'string', jsonPath: '.spec.roleRef.name' },
    { name: 'Repository', type: 'string', jsonPath: '.spec.repository' },
    { name: 'Drift', type: 'string', jsonPath: '.status.drift' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentRoleBinding = ResourceOf<typeof AgentRoleBindingKind>;
