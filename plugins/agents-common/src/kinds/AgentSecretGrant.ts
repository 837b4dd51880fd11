import { defineKind, ResourceOf } from './defineKind';
import { grantFields, grantStatusFields } from './grants';
import { LocalName, Obj } from './schema';

/**
 * Grants keys of a Secret to users, teams, agents, tools, skills, MCP servers or runners. It names
 * the Secret and keys only; values never pass through Krate resources.
 * @public
 */
export const AgentSecretGrantKind = defineKind({
  kind: 'AgentSecretGrant',
  plural: 'agentsecretgrants',
  shortNames: ['asgrant'],
  category: 'configuration',
  description:
    'Grants keys of a Secret to users, teams, agents, tools, skills, MCP servers or runners, for a purpose.',
  spec: Obj({
    secretName: LocalName('Secret name'),
    ...grantFields('Secret'),
  }),
  status: Obj(grantStatusFields('Secret')),
  printerColumns: [
    { name: 'Secret', type: 'string', jsonPath: '.spec.secretName' },
    { name: 'State', type: 'string', jsonPath: '.status.state' },
    { name: 'Expires', type: 'date', jsonPath: '.spec.expiresAt' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentSecretGrant = ResourceOf<typeof AgentSecretGrantKind>;
