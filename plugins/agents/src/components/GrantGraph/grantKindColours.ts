import { AccessGraphNode } from '@krate/plugin-agents-common';

/** Every kind of the grant graph, in the order the legend shows them. */
export const GRANT_GRAPH_KINDS: AccessGraphNode['kind'][] = [
  'user',
  'team',
  'service-account',
  'binding',
  'role',
  'grant',
  'secret',
  'configmap',
  'mcp-server',
  'skill',
  'stack',
];

// Tableau 10 and one more: distinct at a glance, readable on light and dark backgrounds.
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#86bcb6',
];

/** The colour of a node kind; a kind keeps its colour whatever the graph holds. */
export function grantKindColour(kind: string): string {
  const index = GRANT_GRAPH_KINDS.indexOf(kind as AccessGraphNode['kind']);
  return index >= 0 ? PALETTE[index] : PALETTE[PALETTE.length - 1];
}
