import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { AgentStack, Condition } from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { parse } from 'yaml';
import {
  accessStackFixture,
  objectFixture,
} from '../../__testUtils__/accessFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import { AgentsApi, agentsApiRef, AgentsResource } from '../../api';
import { rootRouteRef } from '../../routes';
import { StackReadiness } from './StackReadiness';

jest.setTimeout(30_000);

const condition = (
  type: string,
  reason: string,
  message = `${reason} message`,
): Condition => ({
  type,
  status: 'True',
  reason,
  message,
  lastTransitionTime: '2026-01-01T00:00:00.000Z',
});

/** The stack, Invalid for the reason, as the stack controller words it. */
function invalidStack(
  reason: string,
  stack = accessStackFixture(),
): AgentStack {
  return {
    ...stack,
    status: {
      readiness: 'Invalid',
      conditions: [
        condition('Ready', reason, `The stack cannot run (${reason}).`),
        condition('Invalid', reason),
      ],
    },
  };
}

const OBJECTS: Record<string, AgentsResource[]> = {
  agentmcpservers: [
    objectFixture('AgentMcpServer', 'github', {
      secretRefs: [{ name: 'github-token', key: 'token' }],
    }),
  ],
  agentskills: [
    objectFixture('AgentSkill', 'release-notes', {
      requiredSecrets: [{ name: 'github-token', key: 'token' }],
      requiredConfig: [{ name: 'payments-settings', key: 'region' }],
    }),
  ],
  // Covers the MCP server's key, not the skill's.
  agentsecretgrants: [
    objectFixture('AgentSecretGrant', 'github-mcp-token', {
      secretName: 'github-token',
      keys: ['token'],
      subjects: [
        { kind: 'agent', name: 'agent-bot' },
        { kind: 'mcp-server', name: 'github' },
      ],
      purpose: 'The GitHub MCP server reads issues',
    }),
  ],
  agentconfiggrants: [],
  agentserviceaccounts: [],
};

async function notFound() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotFoundError', message: 'not found' },
        response: { statusCode: 404 },
      }),
      { status: 404, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

async function renderReadiness(
  stack: AgentStack,
  options: {
    denied?: string[];
    objects?: Record<string, AgentsResource[]>;
  } = {},
) {
  const objects = { ...OBJECTS, ...options.objects };
  const getResource = jest.fn<
    ReturnType<AgentsApi['getResource']>,
    Parameters<AgentsApi['getResource']>
  >(async (plural, _namespace, name) => {
    const found = objects[plural]?.find(o => o.metadata.name === name);
    if (!found) throw await notFound();
    return found;
  });
  const listResources = jest.fn<
    ReturnType<AgentsApi['listResources']>,
    Parameters<AgentsApi['listResources']>
  >(async plural => ({
    items: objects[plural] ?? [],
    metadata: { resourceVersion: '1' },
  }));
  const apply: AgentsApi['apply'] = async ([document]) => ({
    dryRun: false,
    items: [
      {
        index: 0,
        result: 'created',
        object: { ...document, metadata: { ...document.metadata, uid: 'new' } },
      },
    ],
  });
  const api: Partial<AgentsApi> = { getResource, listResources, apply };
  const permissions = mockPermissions(options.denied);
  const readiness = (shown: AgentStack) => (
    <TestApiProvider apis={[permissions, [agentsApiRef, api]]}>
      <StackReadiness stack={shown} />
    </TestApiProvider>
  );
  const { rerender } = await renderInTestApp(readiness(stack), {
    mountedRoutes: { '/agents': rootRouteRef },
  });
  return {
    getResource,
    listResources,
    /** Shows the stack as the next signal would, e.g. Ready once the grant is applied. */
    showStack: (shown: AgentStack) => rerender(readiness(shown)),
  };
}

async function clickWhenEnabled(name: string) {
  const button = await screen.findByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  fireEvent.click(button);
}

function editorDraft() {
  fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
  return parse((screen.getByLabelText('YAML') as HTMLTextAreaElement).value);
}

describe('StackReadiness fixes', () => {
  it('prepares a grant of each uncovered key for MissingGrant, from the stack and its references, and keeps the editor on it once applied', async () => {
    const stack = invalidStack('MissingGrant');
    const { showStack } = await renderReadiness(stack);
    const fix = await screen.findByRole('group', { name: 'Fix MissingGrant' });
    // Once, on the problem's own condition rather than on Ready as well.
    expect(
      screen.getAllByRole('group', { name: 'Fix MissingGrant' }),
    ).toHaveLength(1);
    expect(
      within(screen.getByLabelText('Condition Invalid')).getByRole('group', {
        name: 'Fix MissingGrant',
      }),
    ).toBe(fix);
    expect(
      await within(fix).findByRole('button', {
        name: 'Grant ConfigMap payments-settings',
      }),
    ).toBeInTheDocument();

    await clickWhenEnabled('Grant Secret github-token');
    expect(
      await screen.findByText(
        'AgentSecretGrant acme/payments-triage-github-token',
      ),
    ).toBeInTheDocument();
    expect(editorDraft()).toEqual({
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentSecretGrant',
      metadata: { name: 'payments-triage-github-token', namespace: 'acme' },
      spec: {
        secretName: 'github-token',
        keys: ['token'],
        subjects: [
          { kind: 'agent', name: 'agent-bot' },
          { kind: 'skill', name: 'release-notes' },
        ],
        purpose:
          'skill release-notes of AgentStack acme/payments-triage need Secret github-token key token',
      },
    });
    // The editor offers the dry-run diff and the kubectl apply command.
    expect(
      screen.getByRole('button', { name: 'Preview changes' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy kubectl apply' }),
    ).toBeInTheDocument();

    await clickWhenEnabled('Apply');
    // The editor starts over on the stored grant.
    expect(
      await screen.findByText('Applied', { exact: true }),
    ).toBeInTheDocument();
    // The stack turns Ready and the condition goes; the editor stays on what was applied.
    showStack({
      ...stack,
      status: {
        readiness: 'Ready',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Resolved',
            message: 'Every reference resolved.',
            lastTransitionTime: '2026-06-01T00:00:00Z',
          },
        ],
      },
    });
    expect(screen.queryByLabelText('Condition Invalid')).toBeNull();
    expect(screen.getByText('Applied', { exact: true })).toBeInTheDocument();
  });

  it('disables a grant naming the permission the caller lacks', async () => {
    const stack = accessStackFixture();
    // Its own stack and names: permission decisions are cached per resource across tests.
    stack.metadata = { ...stack.metadata, name: 'locked-triage' };
    await renderReadiness(invalidStack('MissingGrant', stack), {
      denied: ['agents.secret-grant.create'],
    });
    const secret = await screen.findByRole('button', {
      name: 'Grant Secret github-token',
    });
    await waitFor(() => expect(secret).toBeDisabled());
    await waitFor(() =>
      expect(
        screen.getByRole('button', {
          name: 'Grant ConfigMap payments-settings',
        }),
      ).toBeEnabled(),
    );
  });

  it('prepares the missing service account for MissingServiceAccount, gated by its create permission', async () => {
    const stack = accessStackFixture();
    stack.spec = {
      ...stack.spec,
      runnerPolicy: { serviceAccountName: 'runner-pool' },
    };
    const runner = objectFixture('AgentServiceAccount', 'runner-pool', {
      purpose: 'runner',
      serviceAccountName: 'runner-pool',
    });
    await renderReadiness(invalidStack('MissingServiceAccount', stack), {
      objects: { agentserviceaccounts: [runner] },
    });
    await clickWhenEnabled('Create AgentServiceAccount agent-bot');
    expect(
      await screen.findByText('AgentServiceAccount acme/agent-bot'),
    ).toBeInTheDocument();
    expect(editorDraft().spec).toEqual({
      purpose: 'agent',
      serviceAccountName: 'agent-bot',
    });
    expect(
      screen.queryByRole('button', {
        name: 'Create AgentServiceAccount runner-pool',
      }),
    ).not.toBeInTheDocument();
  });

  it('disables creating the service account without the permission', async () => {
    const stack = accessStackFixture();
    stack.spec = { ...stack.spec, runtimeServiceAccountName: 'locked-bot' };
    await renderReadiness(invalidStack('MissingServiceAccount', stack), {
      denied: ['agents.service-account.create'],
    });
    const button = await screen.findByRole('button', {
      name: 'Create AgentServiceAccount locked-bot',
    });
    await waitFor(() => expect(button).toBeDisabled());
  });

  it('says to name a runtime identity when the stack has none', async () => {
    const stack = accessStackFixture();
    stack.spec = { ...stack.spec, runtimeServiceAccountName: undefined };
    await renderReadiness(invalidStack('MissingGrant', stack));
    expect(
      await screen.findByText(/set spec.runtimeServiceAccountName/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('points a MissingSecret whose keys are all granted to the secret inventory', async () => {
    await renderReadiness(invalidStack('MissingSecret'), {
      objects: {
        agentsecretgrants: [
          objectFixture('AgentSecretGrant', 'all', {
            secretName: 'github-token',
            keys: ['token'],
            subjects: [{ kind: 'agent', name: 'agent-bot' }],
            purpose: 'x',
          }),
        ],
        agentconfiggrants: [
          objectFixture('AgentConfigGrant', 'cfg', {
            configMapName: 'payments-settings',
            keys: ['region'],
            subjects: [{ kind: 'agent', name: 'agent-bot' }],
            purpose: 'x',
          }),
        ],
      },
    });
    expect(
      await screen.findByText(/the value itself is missing/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Secrets of acme' }),
    ).toHaveAttribute('href', '/agents/secrets?namespace=acme');
  });

  it('reads nothing for conditions no prepared object fixes', async () => {
    const { getResource, listResources } = await renderReadiness({
      ...accessStackFixture(),
      status: {
        readiness: 'Invalid',
        conditions: [condition('Invalid', 'MissingReference')],
      },
    });
    expect(await screen.findByLabelText('Condition Invalid')).toHaveTextContent(
      'MissingReference message',
    );
    expect(screen.queryByRole('group')).not.toBeInTheDocument();
    expect(getResource).not.toHaveBeenCalled();
    expect(listResources).not.toHaveBeenCalled();
  });
});
