import { defineKind, ResourceOf } from './defineKind';
import { grantFields, grantStatusFields } from './grants';
import { LocalName, Obj, Type } from './schema';

/**
 * Grants keys of a ConfigMap to users, teams, agents, tools, skills, MCP servers or runners.
 * @public
 */
export const AgentConfigGrantKind = defineKind({
  kind: 'AgentConfigGrant',
  plural: 'agentconfiggrants',
  shortNames: ['acgrant'],
  category: 'configuration',
  description:
    'Grants keys of a ConfigMap to users, teams, agents, tools, skills, MCP servers or runners, for a purpose.',
  spec: Obj({
    configMapName: LocalName('ConfigMap name'),
    ...grantFields('ConfigMap'),
  }),
  status: Obj({
    ...grantStatusFields('ConfigMap'),
    sensitiveKeys: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Granted keys whose names look like credentials; they belong in a Secret',
      }),
    ),
  }),
  printerColumns: [
    { name: 'ConfigMap', type: 'string', jsonPath: '.spec.configMapName' },
    { name: 'State', type: 'string', jsonPath: '.status.state' },
    { name: 'Expires', type: 'date', jsonPath: '.spec.expiresAt' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentConfigGrant = ResourceOf<typeof AgentConfigGrantKind>;
