import {
  AgentMcpServer,
  AgentSkill,
  AgentStack,
  AgentSubagent,
  AgentToolProfile,
} from '@krate/plugin-agents-common';
import { AgentsApi, AgentsResource } from '../api';
import { refusal } from './artifactFixtures';

const API_VERSION = 'agents.krate.dev/v1alpha1' as const;
const meta = (name: string, namespace: string) => ({
  name,
  namespace,
  uid: `uid-${namespace}-${name}`,
  generation: 1,
});

export function toolProfileFixture(
  name: string,
  spec: AgentToolProfile['spec'] = {},
  namespace = 'acme',
): AgentToolProfile {
  return {
    apiVersion: API_VERSION,
    kind: 'AgentToolProfile',
    metadata: meta(name, namespace),
    spec,
    status: { readiness: 'Ready' },
  };
}

export function mcpServerFixture(
  name: string,
  overrides: {
    spec?: Partial<AgentMcpServer['spec']>;
    status?: AgentMcpServer['status'];
    namespace?: string;
  } = {},
): AgentMcpServer {
  return {
    apiVersion: API_VERSION,
    kind: 'AgentMcpServer',
    metadata: meta(name, overrides.namespace ?? 'acme'),
    spec: {
      transport: 'http',
      url: `https://${name}.mcp.test/mcp`,
      ...overrides.spec,
    },
    status: overrides.status,
  };
}

export function skillFixture(
  name: string,
  overrides: {
    spec?: Partial<AgentSkill['spec']>;
    status?: AgentSkill['status'];
    namespace?: string;
  } = {},
): AgentSkill {
  return {
    apiVersion: API_VERSION,
    kind: 'AgentSkill',
    metadata: meta(name, overrides.namespace ?? 'acme'),
    spec: {
      source: { repository: 'acme/runbooks', path: `skills/${name}` },
      ...overrides.spec,
    },
    status: overrides.status,
  };
}

/** A stack naming registry objects; the runtime is scripted. */
export function usingStack(
  name: string,
  spec: Partial<AgentStack['spec']>,
  namespace = 'acme',
): AgentStack {
  return {
    apiVersion: API_VERSION,
    kind: 'AgentStack',
    metadata: meta(name, namespace),
    spec: { runtime: 'scripted', ...spec } as AgentStack['spec'],
  };
}

export function subagentFixture(
  name: string,
  spec: Partial<AgentSubagent['spec']>,
  namespace = 'acme',
): AgentSubagent {
  return {
    apiVersion: API_VERSION,
    kind: 'AgentSubagent',
    metadata: meta(name, namespace),
    spec: { description: name, ...spec } as AgentSubagent['spec'],
  };
}

const PLURALS: Record<string, string> = {
  AgentToolProfile: 'agenttoolprofiles',
  AgentMcpServer: 'agentmcpservers',
  AgentSkill: 'agentskills',
  AgentStack: 'agentstacks',
  AgentSubagent: 'agentsubagents',
};

/**
 * The part of the agents API the registry pages read, answering from a fixed set of objects as
 * the Kubernetes-style routes do (404 for an object that is not there); `overrides` replace
 * methods, e.g. a failing list or the tool check.
 */
export function registryApi(
  objects: { kind: string; metadata: { name: string; namespace: string } }[],
  overrides: Partial<AgentsApi> = {},
): Partial<AgentsApi> {
  const all = objects as unknown as AgentsResource[];
  const ofPlural = (plural: string, namespace?: string) =>
    all.filter(
      o =>
        PLURALS[o.kind] === plural &&
        (!namespace || o.metadata.namespace === namespace),
    );
  return {
    listResources: async (plural, options = {}) => ({
      items: ofPlural(plural, options.namespace),
      metadata: { resourceVersion: '1' },
    }),
    getResource: async (plural, namespace, name) => {
      const found = ofPlural(plural, namespace).find(
        o => o.metadata.name === name,
      );
      if (!found) throw await refusal(404, `${name} not found`);
      return found;
    },
    listStacks: async () => ({
      items: ofPlural('agentstacks') as unknown as AgentStack[],
      resourceVersion: '1',
    }),
    listCapabilities: async () => ({
      items: ['scripted', 'claude-code'].map(id => ({
        id,
        displayName: id,
        capabilities: {},
      })),
    }),
    ...overrides,
  };
}
