import { defineKind, ResourceOf } from './defineKind';
import {
  BaseStatusFields,
  LocalName,
  Obj,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/**
 * A runtime identity of agents or runners, synced to a native Kubernetes ServiceAccount. The
 * grants and bindings it holds name it as their subject; status lists them.
 * @public
 */
export const AgentServiceAccountKind = defineKind({
  kind: 'AgentServiceAccount',
  plural: 'agentserviceaccounts',
  shortNames: ['asa'],
  category: 'configuration',
  description:
    'A managed runtime identity for agents or runners, projected to a native Kubernetes ServiceAccount.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    purpose: StringEnum(['agent', 'runner'], {
      description:
        'agent: the identity an agent acts as; runner: the identity its runner pod runs as',
    }),
    serviceAccountName: LocalName('Native Kubernetes ServiceAccount name'),
    managed: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'true: Krate creates and owns the ServiceAccount; false: it exists already and is only projected',
      }),
    ),
    tokenExpirationSeconds: Type.Optional(
      Type.Integer({
        minimum: 600,
        description: 'Lifetime of projected tokens',
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    synced: Type.Optional(Type.Boolean()),
    lastSyncTime: Type.Optional(Timestamp()),
    secretGrants: Type.Optional(Type.Array(LocalName('AgentSecretGrant name'))),
    configGrants: Type.Optional(Type.Array(LocalName('AgentConfigGrant name'))),
    roleBindings: Type.Optional(Type.Array(LocalName('AgentRoleBinding name'))),
  }),
  printerColumns: [
    { name: 'Purpose', type: 'string', jsonPath: '.spec.purpose' },
    {
      name: 'ServiceAccount',
      type: 'string',
      jsonPath: '.spec.serviceAccountName',
    },
    { name: 'Synced', type: 'boolean', jsonPath: '.status.synced' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentServiceAccount = ResourceOf<typeof AgentServiceAccountKind>;
