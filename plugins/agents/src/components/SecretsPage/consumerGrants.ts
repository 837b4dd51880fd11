import {
  AgentStack,
  SecretConsumerRef,
  SecretInventory,
  SecretInventoryItem,
  SecretKeyGrant,
} from '@krate/plugin-agents-common';
import { AgentsResource } from '../../api';
import { GrantSubject, grantDraft, unusedName } from '../AccessFrame';

const CONSUMER_KINDS = ['tool', 'skill', 'mcp-server'];

/**
 * Whether an active grant of the key covers the consumer: one scoped to it, or one scoped to no
 * consumer at all (it covers every consumer of its agent), as the stack controller decides.
 */
export function isGranted(
  consumer: SecretConsumerRef,
  grants: SecretKeyGrant[],
): boolean {
  return grants.some(grant => {
    if (grant.state !== 'active') return false;
    const scoped = grant.subjects.filter(s => CONSUMER_KINDS.includes(s.kind));
    return (
      scoped.length === 0 ||
      scoped.some(s => s.kind === consumer.kind && s.name === consumer.name)
    );
  });
}

function uses(stack: AgentStack, consumer: SecretConsumerRef): boolean {
  const { spec } = stack;
  switch (consumer.kind) {
    case 'mcp-server':
      return Boolean(spec.mcpServers?.includes(consumer.name));
    case 'skill':
      return Boolean(spec.skills?.includes(consumer.name));
    default:
      return spec.toolProfile === consumer.name;
  }
}

/** The runtime service accounts of the stacks that use the consumer: who its grant is for. */
export function agentsUsing(
  consumer: SecretConsumerRef,
  stacks: AgentStack[],
): string[] {
  const names = stacks
    .filter(stack => uses(stack, consumer))
    .map(stack => stack.spec.runtimeServiceAccountName)
    .filter((name): name is string => Boolean(name));
  return [...new Set(names)].sort();
}

/** Every grant name the inventory shows: prepared grants take none of them. */
export function grantNames(inventory: SecretInventory): string[] {
  return inventory.items.flatMap(item =>
    item.keys.flatMap(key => key.grants.map(grant => grant.name)),
  );
}

const agentSubjects = (names: string[]): GrantSubject[] =>
  names.map(name => ({ kind: 'agent', name }));

/**
 * A grant of one key to one consumer that has none: for the agents of the stacks using the
 * consumer, scoped to the consumer.
 */
export function consumerGrantDraft(options: {
  namespace: string;
  item: SecretInventoryItem;
  key: string;
  consumer: SecretConsumerRef;
  stacks: AgentStack[];
  taken: string[];
}): AgentsResource {
  const { namespace, item, key, consumer, stacks, taken } = options;
  return grantDraft({
    namespace,
    name: unusedName(`${consumer.name}-${item.name}`, taken),
    source: item.source,
    sourceName: item.name,
    keys: [key],
    subjects: [
      ...agentSubjects(agentsUsing(consumer, stacks)),
      { kind: consumer.kind, name: consumer.name },
    ],
    purpose: `${consumer.kind} ${consumer.name} needs ${item.source} ${item.name} key ${key} (${consumer.field})`,
  });
}

/**
 * A grant of every key of a Secret or ConfigMap, for the agents of the stacks using its
 * consumers; the author narrows keys and subjects and says why.
 */
export function itemGrantDraft(options: {
  namespace: string;
  item: SecretInventoryItem;
  stacks: AgentStack[];
  taken: string[];
}): AgentsResource {
  const { namespace, item, stacks, taken } = options;
  const agents = [
    ...new Set(
      item.keys.flatMap(key =>
        key.consumers.flatMap(consumer => agentsUsing(consumer, stacks)),
      ),
    ),
  ].sort();
  return grantDraft({
    namespace,
    name: unusedName(`${item.name}-grant`, taken),
    source: item.source,
    sourceName: item.name,
    keys: item.keys.map(key => key.key),
    subjects: agents.length
      ? agentSubjects(agents)
      : [{ kind: 'agent', name: '' }],
    purpose: '',
  });
}
