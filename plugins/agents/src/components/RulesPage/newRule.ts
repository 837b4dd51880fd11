import { AGENTS_API_GROUP_VERSION } from '@krate/plugin-agents-common';
import { AgentsResource } from '../../api';

/** A new rule starts as a draft, which dispatches nothing until it is activated. */
export const newRule = (namespace = '', stack = ''): AgentsResource => ({
  apiVersion: AGENTS_API_GROUP_VERSION,
  kind: 'AgentTriggerRule',
  metadata: { name: '', namespace },
  spec: { lifecycle: 'draft', source: { events: ['issue'] }, stack },
});
