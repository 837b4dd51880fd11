import { ResponseError } from '@backstage/errors';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { AGENTS_SIGNAL_CHANNEL, AgentStack } from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { FakeSignalApi } from '../../__testUtils__/FakeSignalApi';
import { runFixture, stackFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef, AgentsResource } from '../../api';
import { rootRouteRef } from '../../routes';
import { StackDetailPage } from './StackDetailPage';
import { mockPermissions } from '../../__testUtils__/permissions';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function readyStack(): AgentStack {
  const stack = stackFixture('scripted-demo', 'Ready');
  return {
    ...stack,
    spec: {
      runtime: 'scripted',
      model: 'sonnet',
      approvalMode: 'always',
      toolProfile: 'sandbox',
      subagents: ['reviewer'],
      mcpServers: ['github'],
      skills: ['triage'],
      runtimeServiceAccountName: 'agent-bot',
    },
    status: {
      readiness: 'Ready',
      profileDigest: DIGEST,
      effectiveProfile: { runtime: 'scripted', model: 'sonnet' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Resolved',
          message: 'Every reference resolved.',
          lastTransitionTime: '2026-01-01T00:00:00.000Z',
        },
      ],
    },
  };
}

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

function renderPage(
  getStack: () => Promise<AgentStack>,
  options: {
    listRuns?: AgentsApi['listRuns'];
    signals?: FakeSignalApi;
    /** Permissions the caller lacks. */
    denied?: string[];
  } = {},
) {
  const listRuns =
    options.listRuns ?? (async () => ({ items: [], resourceVersion: '1' }));
  const api: Partial<AgentsApi> = {
    getResource: async () => (await getStack()) as unknown as AgentsResource,
    listRuns,
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        mockPermissions(options.denied),
        [agentsApiRef, api],
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ]}
    >
      <Routes>
        <Route
          path="/agents/stacks/:namespace/:name"
          element={<StackDetailPage pollIntervalMs={60_000} />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: ['/agents/stacks/acme/scripted-demo'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

describe('StackDetailPage', () => {
  it('links each referenced object to its page in the stack org: the registry page, or the read-only view', async () => {
    await renderPage(async () => readyStack());
    await screen.findByLabelText('Readiness Ready');
    for (const [kind, name, href] of [
      ['AgentToolProfile', 'sandbox', '/agents/tools/acme/sandbox'],
      [
        'AgentSubagent',
        'reviewer',
        '/agents/resources/agentsubagents/acme/reviewer',
      ],
      ['AgentMcpServer', 'github', '/agents/mcp/acme/github'],
      ['AgentSkill', 'triage', '/agents/skills/acme/triage'],
      [
        'AgentServiceAccount',
        'agent-bot',
        '/agents/resources/agentserviceaccounts/acme/agent-bot',
      ],
    ]) {
      expect(
        within(screen.getByRole('list', { name: kind })).getByRole('link', {
          name,
        }),
      ).toHaveAttribute('href', href);
    }
  });

  it('shows readiness, settings, references, profile and recent runs', async () => {
    const listRuns = jest.fn<
      ReturnType<AgentsApi['listRuns']>,
      Parameters<AgentsApi['listRuns']>
    >(async () => ({
      items: [runFixture('scripted-demo-abc')],
      resourceVersion: '1',
    }));
    await renderPage(async () => readyStack(), { listRuns });

    expect(await screen.findByLabelText('Readiness Ready')).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Stack breadcrumbs')).getByRole('link', {
        name: 'acme',
      }),
    ).toHaveAttribute('href', '/agents/stacks?namespace=acme');
    expect(screen.getByLabelText('Condition Ready')).toHaveTextContent(
      'Ready True · Resolved: Every reference resolved.',
    );
    expect(screen.getByText('sonnet')).toBeInTheDocument();
    expect(screen.getByText('always')).toBeInTheDocument();
    for (const [kind, name] of [
      ['AgentToolProfile', 'sandbox'],
      ['AgentSubagent', 'reviewer'],
      ['AgentMcpServer', 'github'],
      ['AgentSkill', 'triage'],
      ['AgentServiceAccount', 'agent-bot'],
    ]) {
      expect(
        within(screen.getByRole('list', { name: kind })).getByText(name),
      ).toBeInTheDocument();
    }
    expect(screen.getByLabelText('Profile digest')).toHaveTextContent(DIGEST);
    expect(screen.getByLabelText('Effective profile')).toHaveTextContent(
      '"model": "sonnet"',
    );

    expect(
      await screen.findByRole('link', { name: 'scripted-demo-abc' }),
    ).toHaveAttribute('href', '/agents/runs/scripted-demo-abc');
    expect(listRuns).toHaveBeenCalledWith({
      namespace: 'acme',
      stack: 'scripted-demo',
      limit: 10,
    });

    const actions = screen.getByRole('group', { name: 'Stack actions' });
    expect(
      within(actions).getByRole('button', { name: 'Dispatch' }),
    ).toHaveAttribute(
      'href',
      '/agents/runs/new?namespace=acme&stack=scripted-demo',
    );
    expect(
      within(actions).getByRole('button', { name: 'Edit in builder' }),
    ).toHaveAttribute('href', '/agents/stacks?edit=acme%2Fscripted-demo');
  });

  it('disables dispatch naming the permission the caller lacks', async () => {
    // Another stack than the other tests: permission decisions are cached per resource.
    await renderPage(async () => stackFixture('locked-demo', 'Ready'), {
      denied: ['agents.run.create'],
    });
    const actions = await screen.findByRole('group', { name: 'Stack actions' });
    expect(
      await screen.findByText(
        'Dispatch is disabled: You may not dispatch runs in acme (agents.run.create)',
      ),
    ).toBeInTheDocument();
    expect(
      within(actions).getByRole('button', { name: 'Dispatch' }),
    ).toBeDisabled();
  });

  it('disables dispatch with the controller reason when the stack is invalid', async () => {
    await renderPage(async () =>
      stackFixture(
        'scripted-demo',
        'Invalid',
        'AgentToolProfile nope is missing.',
      ),
    );
    const actions = await screen.findByRole('group', { name: 'Stack actions' });
    expect(
      within(actions).getByRole('button', { name: 'Dispatch' }),
    ).toBeDisabled();
    expect(
      screen.getByText(
        'Dispatch is disabled: AgentToolProfile nope is missing.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Condition Invalid')).toHaveTextContent(
      'AgentToolProfile nope is missing.',
    );
    expect(
      await screen.findByText('No runs of this stack yet'),
    ).toBeInTheDocument();
    expect(screen.getByText(/No effective profile/)).toBeInTheDocument();
  });

  it('copies the manifest as a kubectl apply command', async () => {
    const writeText = jest.fn(async () => undefined);
    Object.assign(window.navigator, { clipboard: { writeText } });
    try {
      await renderPage(async () => readyStack());
      fireEvent.click(
        await screen.findByRole('button', { name: 'Copy kubectl apply' }),
      );
      expect(
        await screen.findByText('Copied to the clipboard.'),
      ).toBeInTheDocument();
      const command = writeText.mock.calls[0] as unknown as [string];
      expect(command[0]).toMatch(/^kubectl apply -f - <<'EOF'\n/);
      expect(command[0]).toContain('name: scripted-demo');
      expect(command[0]).not.toContain('profileDigest');
    } finally {
      Object.assign(window.navigator, { clipboard: undefined });
    }
  });

  it('shows the command to copy by hand without a clipboard', async () => {
    await renderPage(async () => readyStack());
    fireEvent.click(
      await screen.findByRole('button', { name: 'Copy kubectl apply' }),
    );
    expect(
      await screen.findByLabelText('kubectl apply command'),
    ).toHaveTextContent('kind: AgentStack');
  });

  it('says when the stack does not exist', async () => {
    await renderPage(async () => {
      throw await notFound();
    });
    expect(
      await screen.findByText('No stack acme/scripted-demo'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All stacks' })).toHaveAttribute(
      'href',
      '/agents/stacks',
    );
  });

  it('shows other errors as errors', async () => {
    await renderPage(async () => {
      throw new Error('backend down');
    });
    expect(
      await screen.findByText(/Could not read stack acme\/scripted-demo/),
    ).toBeInTheDocument();
  });

  it('reads the stack again when its change is signalled', async () => {
    const signals = new FakeSignalApi();
    let current: AgentStack = stackFixture(
      'scripted-demo',
      'Invalid',
      'broken',
    );
    await renderPage(async () => current, { signals });
    expect(
      await screen.findByLabelText('Readiness Invalid'),
    ).toBeInTheDocument();
    expect(screen.getByText(/updates pushed \(signals\)/)).toBeInTheDocument();

    current = readyStack();
    signals.publish(AGENTS_SIGNAL_CHANNEL, {
      kind: 'AgentStack',
      namespace: 'acme',
      name: 'scripted-demo',
      type: 'MODIFIED',
    });
    await waitFor(() =>
      expect(screen.getByLabelText('Readiness Ready')).toBeInTheDocument(),
    );
  });
});
