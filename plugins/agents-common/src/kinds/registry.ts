import { AgentDispatchRunKind } from './AgentDispatchRun';
import { AgentStackKind } from './AgentStack';
import { AgentKindDefinition } from './defineKind';

/** Every kind of the agents.krate.dev API group. @public */
export const agentKinds: readonly AgentKindDefinition[] = [
  AgentStackKind,
  AgentDispatchRunKind,
];

const byKind = new Map(agentKinds.map(k => [k.kind, k]));
const byPlural = new Map(agentKinds.map(k => [k.plural, k]));

/** The kind definition for a `kind` name, e.g. `AgentStack`. @public */
export function findKind(kind: string): AgentKindDefinition | undefined {
  return byKind.get(kind);
}

/** The kind definition for a URL plural, e.g. `agentstacks`. @public */
export function findKindByPlural(
  plural: string,
): AgentKindDefinition | undefined {
  return byPlural.get(plural);
}
