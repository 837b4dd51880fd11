import {
  AgentStack,
  IdentitiesOverview,
  PermissionReview,
  PermissionsOverview,
  SecretInventory,
} from '@krate/plugin-agents-common';
import { AgentsApi, AgentsResource } from '../api';
import { stackFixture } from './fixtures';

/**
 * An org's secret inventory: a Secret one consumer has a grant for and another has none, a
 * Secret no source holds, and a ConfigMap whose only grant expired. Names and keys only: the
 * inventory never carries values.
 */
export function secretInventoryFixture(): SecretInventory {
  return {
    items: [
      {
        source: 'Secret',
        name: 'github-token',
        from: 'config',
        lastRotationTime: '2026-02-01T09:00:00.000Z',
        keys: [
          {
            key: 'token',
            present: true,
            consumers: [
              {
                kind: 'mcp-server',
                name: 'github',
                field: 'AgentMcpServer/github spec.secretRefs[0]',
              },
              {
                kind: 'skill',
                name: 'release-notes',
                field: 'AgentSkill/release-notes spec.requiredSecrets[0]',
              },
            ],
            grants: [
              {
                kind: 'AgentSecretGrant',
                name: 'github-mcp-token',
                subjects: [
                  { kind: 'agent', name: 'agent-bot' },
                  { kind: 'mcp-server', name: 'github' },
                ],
                purpose: 'The GitHub MCP server reads issues',
                state: 'active',
                expiresAt: '2027-01-01T00:00:00.000Z',
              },
            ],
          },
        ],
      },
      {
        source: 'Secret',
        name: 'pagerduty',
        keys: [
          {
            key: 'api-key',
            present: false,
            consumers: [
              {
                kind: 'skill',
                name: 'incident',
                field: 'AgentSkill/incident spec.requiredSecrets[0]',
              },
            ],
            grants: [],
          },
        ],
      },
      {
        source: 'ConfigMap',
        name: 'payments-settings',
        from: 'config',
        keys: [
          {
            key: 'region',
            present: true,
            consumers: [],
            grants: [
              {
                kind: 'AgentConfigGrant',
                name: 'payments-region',
                subjects: [{ kind: 'agent', name: 'agent-bot' }],
                purpose: 'Region for the deploy skill',
                state: 'expired',
                expiresAt: '2025-12-31T00:00:00.000Z',
              },
            ],
          },
        ],
      },
    ],
    warnings: [
      {
        reason: 'MissingGrant',
        message:
          'No grant gives skill release-notes the key token of Secret github-token.',
        object: 'AgentSkill/release-notes',
      },
      {
        reason: 'MissingSecret',
        message: 'No secret source holds key api-key of Secret pagerduty.',
        object: 'AgentSkill/incident',
      },
    ],
  };
}

/** Role templates, a team binding limited to one repository, a drifted escalating binding. */
export function permissionsOverviewFixture(): PermissionsOverview {
  return {
    roleTemplates: [
      {
        name: 'krate-agents-viewer',
        description: 'Reads every agents resource.',
        permissions: ['agents.stack.read', 'agents.run.read'],
      },
      {
        name: 'krate-agents-dispatcher',
        description: 'Viewer, and dispatches runs.',
        permissions: [
          'agents.stack.read',
          'agents.run.read',
          'agents.run.create',
        ],
      },
      {
        name: 'krate-agents-admin',
        description: 'Everything, grants and bindings included.',
        permissions: [
          'agents.stack.read',
          'agents.run.read',
          'agents.run.create',
          'agents.secret-grant.create',
        ],
      },
    ],
    bindings: [
      {
        name: 'payments-dispatchers',
        subjects: [{ kind: 'team', name: 'group:default/payments' }],
        roleRef: { kind: 'ClusterRole', name: 'krate-agents-dispatcher' },
        repository: 'acme/payments-api',
        owner: 'user:default/alice',
      },
      {
        name: 'bot-admin',
        subjects: [{ kind: 'service-account', name: 'agent-bot' }],
        roleRef: { kind: 'ClusterRole', name: 'krate-agents-admin' },
        drift: 'Drifted',
        owner: 'user:default/bob',
      },
    ],
    graph: {
      nodes: [
        { id: 'team:payments', kind: 'team', label: 'group:default/payments' },
        {
          id: 'binding:payments-dispatchers',
          kind: 'binding',
          label: 'payments-dispatchers',
        },
        {
          id: 'role:krate-agents-dispatcher',
          kind: 'role',
          label: 'krate-agents-dispatcher',
        },
        { id: 'sa:agent-bot', kind: 'service-account', label: 'agent-bot' },
        {
          id: 'grant:github-mcp-token',
          kind: 'grant',
          label: 'github-mcp-token',
        },
        { id: 'secret:github-token', kind: 'secret', label: 'github-token' },
      ],
      edges: [
        {
          from: 'team:payments',
          to: 'binding:payments-dispatchers',
          label: 'subject of',
        },
        {
          from: 'binding:payments-dispatchers',
          to: 'role:krate-agents-dispatcher',
          label: 'binds',
        },
        {
          from: 'grant:github-mcp-token',
          to: 'sa:agent-bot',
          label: 'grants to',
        },
        {
          from: 'grant:github-mcp-token',
          to: 'secret:github-token',
          label: 'token',
        },
      ],
    },
    warnings: [
      {
        reason: 'Escalation',
        message:
          'AgentRoleBinding/bot-admin grants krate-agents-admin, more than its owner user:default/bob has.',
        object: 'AgentRoleBinding/bot-admin',
      },
      {
        reason: 'Drift',
        message: 'The native RoleBinding of bot-admin names another role.',
        object: 'AgentRoleBinding/bot-admin',
      },
    ],
  };
}

/** A user in a team, the team's binding, and an agent and a runner service account. */
export function identitiesOverviewFixture(): IdentitiesOverview {
  return {
    users: [
      {
        ref: 'user:default/alice',
        displayName: 'Alice',
        teams: ['group:default/payments'],
        bindings: [],
      },
    ],
    teams: [
      {
        ref: 'group:default/payments',
        displayName: 'Payments',
        members: ['user:default/alice'],
        bindings: ['payments-dispatchers'],
      },
    ],
    serviceAccounts: [
      {
        name: 'agent-bot',
        purpose: 'agent',
        serviceAccountName: 'krate-agent-bot',
        synced: true,
        bindings: ['bot-admin'],
        secretGrants: ['github-mcp-token'],
        configGrants: ['payments-region'],
        stacks: ['payments-triage'],
      },
      {
        name: 'runner-pool',
        purpose: 'runner',
        serviceAccountName: 'krate-runner',
        synced: false,
        bindings: [],
        secretGrants: [],
        configGrants: [],
        stacks: [],
      },
    ],
  };
}

/** A denial: the team's binding applies, but its role lacks the permission. */
export function permissionReviewFixture(): PermissionReview {
  return {
    decision: 'denied',
    subject: { kind: 'user', name: 'user:default/alice' },
    action: 'agents.secret-grant.create',
    chain: [
      {
        kind: 'membership',
        ref: 'group:default/payments',
        detail: 'user:default/alice is a member',
        satisfied: true,
      },
      {
        kind: 'binding',
        ref: 'AgentRoleBinding/payments-dispatchers',
        detail: 'binds group:default/payments to krate-agents-dispatcher',
        satisfied: true,
      },
      {
        kind: 'role',
        ref: 'ClusterRole/krate-agents-dispatcher',
        detail: 'does not include agents.secret-grant.create',
        satisfied: false,
      },
    ],
    reasons: [
      'No binding gives user:default/alice a role with agents.secret-grant.create in acme.',
    ],
    warnings: [
      {
        reason: 'Escalation',
        message: 'AgentRoleBinding/bot-admin grants more than its owner has.',
        object: 'AgentRoleBinding/bot-admin',
      },
    ],
  };
}

/** A stack of the org using the GitHub MCP server and the release-notes skill as agent-bot. */
export function accessStackFixture(): AgentStack {
  const stack = stackFixture('payments-triage', 'Ready');
  return {
    ...stack,
    spec: {
      runtime: 'scripted',
      mcpServers: ['github'],
      skills: ['release-notes'],
      runtimeServiceAccountName: 'agent-bot',
    },
  };
}

/** `listStacks` answering the given stacks, as the org switcher and the pages read them. */
export function listStacksOf(
  stacks: AgentStack[] = [accessStackFixture()],
): AgentsApi['listStacks'] {
  return async options => ({
    items: stacks.filter(
      s => !options?.namespace || s.metadata.namespace === options.namespace,
    ),
    resourceVersion: '1',
  });
}

/** A stored object of any kind in acme, as `GET /apis/…` answers it. */
export function objectFixture(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  status?: Record<string, unknown>,
): AgentsResource {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind,
    metadata: { name, namespace: 'acme', uid: `uid-${kind}-${name}` },
    spec,
    ...(status ? { status } : {}),
  };
}
