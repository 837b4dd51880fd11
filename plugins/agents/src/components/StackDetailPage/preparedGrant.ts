import {
  AgentStack,
  grantCovers,
  SecretNeed,
  secretNeedsOf,
} from '@krate/plugin-agents-common';
import { AgentsResource } from '../../api';
import { grantDraft, serviceAccountDraft, unusedName } from '../AccessFrame';

/** The objects a stack's key needs are read from: its MCP servers and skills, and the grants. */
export interface StackNeedObjects {
  mcpServers: AgentsResource[];
  /** The stack's skills and its subagents'. */
  skills: AgentsResource[];
  secretGrants: AgentsResource[];
  configGrants: AgentsResource[];
}

const asNamedSpec = (object: AgentsResource) => ({
  name: object.metadata.name,
  spec: object.spec ?? {},
});

/** The keys the stack's MCP servers and skills declare, by the rule the stack controller uses. */
export function keyNeeds(objects: StackNeedObjects): SecretNeed[] {
  return secretNeedsOf({
    mcpServers: objects.mcpServers.map(asNamedSpec),
    skills: objects.skills.map(asNamedSpec),
  });
}

const unique = <T>(items: T[], key: (item: T) => string) => [
  ...new Map(items.map(item => [key(item), item])).values(),
];

/**
 * The grants that would make the stack's runtime identity hold every key its MCP servers and
 * skills need and no live grant covers: one per Secret or ConfigMap, of the missing keys, to
 * `agent:<identity>` scoped to the consumers that need them.
 */
export function preparedGrants(
  stack: AgentStack,
  objects: StackNeedObjects,
  now: Date,
): AgentsResource[] {
  const identity = stack.spec.runtimeServiceAccountName;
  if (!identity) return [];
  const { namespace, name: stackName } = stack.metadata;
  const grants = {
    Secret: objects.secretGrants,
    ConfigMap: objects.configGrants,
  };
  const unmet = keyNeeds(objects).filter(
    need => !grants[need.source].some(g => grantCovers(g, need, identity, now)),
  );
  const groups = new Map<string, SecretNeed[]>();
  for (const need of unmet) {
    const group = `${need.source}/${need.name}`;
    groups.set(group, [...(groups.get(group) ?? []), need]);
  }
  return [...groups.values()].map(needs => {
    const { source, name } = needs[0];
    const keys = [...new Set(needs.map(n => n.key))];
    const consumers = unique(
      needs.map(n => n.consumer),
      c => `${c.kind}/${c.name}`,
    );
    return grantDraft({
      namespace,
      name: unusedName(
        `${stackName}-${name}`,
        grants[source].map(g => g.metadata.name),
      ),
      source,
      sourceName: name,
      keys,
      subjects: [{ kind: 'agent', name: identity }, ...consumers],
      purpose: `${consumers
        .map(c => `${c.kind} ${c.name}`)
        .join(
          ', ',
        )} of AgentStack ${namespace}/${stackName} need ${source} ${name} key${
        keys.length > 1 ? 's' : ''
      } ${keys.join(', ')}`,
    });
  });
}

/** The AgentServiceAccounts the stack names and that do not exist, with the purpose it uses them for. */
export function preparedServiceAccounts(
  stack: AgentStack,
  exists: (name: string) => boolean,
): AgentsResource[] {
  const named = [
    [stack.spec.runtimeServiceAccountName, 'agent'],
    [stack.spec.runnerPolicy?.serviceAccountName, 'runner'],
  ] as const;
  return unique(
    named.filter(
      (entry): entry is readonly [string, 'agent' | 'runner'] =>
        Boolean(entry[0]) && !exists(entry[0]!),
    ),
    ([name]) => name,
  ).map(([name, purpose]) =>
    serviceAccountDraft(stack.metadata.namespace, name, purpose),
  );
}
