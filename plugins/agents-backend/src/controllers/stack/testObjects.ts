import {
  AgentRuntime,
  AgentRuntimeAvailability,
  AgentRuntimeCapabilities,
} from '@krate/plugin-agents-node';
import { ResourceStore, StoredResource } from '../../resources/ResourceStore';
import { RuntimeRegistry } from '../../runtimes/RuntimeRegistry';

export const ALICE = { actor: 'user:default/alice' };

/** A runtime for resolution tests: these tests never run an attempt. */
export function testRuntime(
  id: string,
  capabilities: Partial<AgentRuntimeCapabilities> = {},
  checkAvailability?: () => Promise<AgentRuntimeAvailability>,
): AgentRuntime {
  return {
    id,
    displayName: id,
    capabilities: {
      subagents: true,
      mcp: true,
      resume: true,
      approvals: 'enforced',
      ...capabilities,
    },
    ...(checkAvailability ? { checkAvailability } : {}),
    run: async () => {
      throw new Error('stack tests never run an attempt');
    },
  };
}

export function registryOf(...runtimes: AgentRuntime[]): RuntimeRegistry {
  const registry = new RuntimeRegistry();
  runtimes.forEach(r => registry.addRuntime(r));
  return registry;
}

export function object(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  status?: Record<string, unknown>,
): StoredResource {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind,
    metadata: { namespace: 'acme', name },
    spec,
    ...(status ? { status } : {}),
  };
}

/** Creates objects; a configuration object's status is written through the status subresource. */
export async function seed(store: ResourceStore, ...objects: StoredResource[]) {
  for (const o of objects) {
    const created = await store.create(o, ALICE);
    if (o.status) {
      await store.updateStatus({ ...created, status: o.status }, ALICE);
    }
  }
}

export const serviceAccount = (name: string, purpose = 'agent') =>
  object('AgentServiceAccount', name, {
    purpose,
    serviceAccountName: name,
  });

export const secretGrant = (
  name: string,
  spec: Partial<{
    secretName: string;
    keys: string[];
    subjects: { kind: string; name: string }[];
    expiresAt: string;
  }>,
  status?: Record<string, unknown>,
) =>
  object(
    'AgentSecretGrant',
    name,
    {
      secretName: 'github',
      keys: ['token'],
      subjects: [{ kind: 'agent', name: 'bot' }],
      purpose: 'GitHub MCP server',
      ...spec,
    },
    status,
  );
