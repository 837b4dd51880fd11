import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useParams } from 'react-router-dom';
import { DispatchRunRequest } from '@krate/plugin-agents-common';
import { runFixture, stackFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { DispatchComposer, fieldOfError } from './DispatchComposer';
import { mockPermissions } from '../../__testUtils__/permissions';

// The composer renders several cards and the memory panel; a loaded CI machine needs time.
jest.setTimeout(30_000);

const RunPage = () => <div>Run page of {useParams().name}</div>;

function apiWith(createRun: AgentsApi['createRun']): Partial<AgentsApi> {
  const demo = stackFixture('scripted-demo', 'Ready');
  demo.spec.defaultContextLabels = ['acme-conventions'];
  return {
    createRun,
    listStacks: async () => ({
      items: [
        demo,
        stackFixture(
          'careful',
          'Warning',
          'The MCP server github is not healthy',
        ),
        stackFixture(
          'payments-reviewer',
          'Invalid',
          "names runtime 'claude-code', which no installed module registers",
        ),
        stackFixture('elsewhere', 'Ready', '', 'globex'),
      ],
      resourceVersion: '1',
    }),
    listResources: async () => ({
      items: ['acme-conventions', 'payments-domain'].map(name => ({
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentContextLabel',
        metadata: { name, namespace: 'acme' },
        spec: { prompt: `${name} prompt` },
      })),
      metadata: { resourceVersion: '1' },
    }),
    listMemoryOrgs: async () => ({ items: [] }),
    listWorkspaces: async () => ({
      items: [
        {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentWorkspace',
          metadata: { name: 'ws-1', namespace: 'acme' },
          spec: { repository: 'acme/payments-api' },
          status: { state: 'idle' },
        } as any,
      ],
      resourceVersion: '1',
    }),
  };
}

function renderComposer(
  createRun: AgentsApi['createRun'],
  deniedPermissions: string[] = [],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        mockPermissions(deniedPermissions),
        [agentsApiRef, apiWith(createRun)],
      ]}
    >
      <Routes>
        <Route path="/agents/runs/new" element={<DispatchComposer />} />
        <Route path="/agents/runs/:name" element={<RunPage />} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: ['/agents/runs/new?namespace=acme'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

const enabledDispatch = () =>
  waitFor(() => {
    const button = screen.getByRole('button', { name: 'Dispatch' });
    expect(button).toBeEnabled();
    return button;
  });

describe('DispatchComposer', () => {
  it('keeps a fixed org and repository and hands the run over instead of navigating', async () => {
    const requests: DispatchRunRequest[] = [];
    const workspaceFilters: unknown[] = [];
    const dispatched: string[] = [];
    const api = apiWith(async request => {
      requests.push(request);
      return runFixture('scripted-demo-fixed');
    });
    const listWorkspaces = api.listWorkspaces!;
    api.listWorkspaces = async filters => {
      workspaceFilters.push(filters);
      return listWorkspaces(filters);
    };
    await renderInTestApp(
      <TestApiProvider apis={[mockPermissions(), [agentsApiRef, api]]}>
        <DispatchComposer
          embedded
          namespace="acme"
          repository="acme/payments-api"
          onDispatched={run => dispatched.push(run.metadata.name)}
        />
      </TestApiProvider>,
      { mountedRoutes: { '/agents': rootRouteRef } },
    );
    const stacks = await screen.findByRole('radiogroup', { name: 'Stack' });
    expect(screen.queryByRole('heading', { name: 'New run' })).toBeNull();
    expect(screen.getByLabelText('Repository')).toHaveValue(
      'acme/payments-api',
    );
    expect(screen.getByLabelText('Repository')).toBeDisabled();
    fireEvent.click(
      within(stacks).getByRole('radio', { name: /scripted-demo/ }),
    );
    fireEvent.change(screen.getByLabelText(/Prompt/), {
      target: { value: 'Fix it' },
    });
    fireEvent.click(await enabledDispatch());
    await waitFor(() => expect(dispatched).toEqual(['scripted-demo-fixed']));
    expect(requests[0]).toEqual({
      namespace: 'acme',
      stack: 'scripted-demo',
      prompt: 'Fix it',
      repository: 'acme/payments-api',
    });
    expect(workspaceFilters).toContainEqual({
      namespace: 'acme',
      repository: 'acme/payments-api',
    });
    expect(screen.getByLabelText(/Prompt/)).toHaveValue('');
  });

  it('offers runnable stacks, disables invalid ones with their reason, dispatches and opens the run', async () => {
    const requests: DispatchRunRequest[] = [];
    await renderComposer(async request => {
      requests.push(request);
      return runFixture('scripted-demo-abc123');
    });

    const stacks = await screen.findByRole('radiogroup', { name: 'Stack' });
    expect(
      within(stacks).getByRole('radio', { name: /scripted-demo/ }),
    ).toBeEnabled();
    expect(
      within(stacks).getByRole('radio', { name: /careful/ }),
    ).toBeEnabled();
    expect(
      screen.getByText('Warning: The MCP server github is not healthy'),
    ).toBeInTheDocument();
    expect(
      within(stacks).getByRole('radio', { name: /payments-reviewer/ }),
    ).toBeDisabled();
    expect(
      screen.getByText(/which no installed module registers/),
    ).toBeInTheDocument();
    expect(
      within(stacks).queryByRole('radio', { name: /elsewhere/ }),
    ).not.toBeInTheDocument();

    fireEvent.click(
      within(stacks).getByRole('radio', { name: /scripted-demo/ }),
    );
    fireEvent.change(screen.getByLabelText(/Prompt/), {
      target: { value: 'Fix the rounding bug' },
    });
    fireEvent.change(screen.getByLabelText('Repository'), {
      target: { value: 'acme/payments-api' },
    });
    fireEvent.change(screen.getByLabelText(/^Ref/), {
      target: { value: 'main' },
    });
    const labels = screen.getByRole('group', { name: 'Context labels' });
    expect(
      (await within(labels).findByText('acme-conventions (from stack)'))
        .parentElement,
    ).toHaveAttribute('aria-disabled', 'true');
    fireEvent.click(
      within(labels).getByRole('button', { name: 'payments-domain' }),
    );
    fireEvent.mouseDown(screen.getByRole('button', { name: /^Workspace/ }));
    fireEvent.click(await screen.findByRole('option', { name: /ws-1/ }));

    expect(screen.getByLabelText('Request body')).toHaveTextContent(
      '"contextLabels": [ "payments-domain" ]',
    );
    fireEvent.click(await enabledDispatch());

    expect(
      await screen.findByText('Run page of scripted-demo-abc123'),
    ).toBeInTheDocument();
    expect(requests).toEqual([
      {
        namespace: 'acme',
        stack: 'scripted-demo',
        prompt: 'Fix the rounding bug',
        repository: 'acme/payments-api',
        ref: 'main',
        contextLabels: ['payments-domain'],
        workspace: 'ws-1',
      },
    ]);
  }, 20_000);

  it('shows an API error about a field next to that field', async () => {
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'InputError',
            message: 'ref: must be a branch, tag or commit name',
          },
          response: { statusCode: 400 },
        }),
        { status: 400, headers: { 'content-type': 'application/json' } },
      ),
    );
    await renderComposer(async () => {
      throw refused;
    });
    fireEvent.click(
      await screen.findByRole('radio', { name: /scripted-demo/ }),
    );
    fireEvent.change(screen.getByLabelText(/Prompt/), {
      target: { value: 'x' },
    });
    fireEvent.change(screen.getByLabelText(/^Ref/), {
      target: { value: '-bad' },
    });
    fireEvent.click(await enabledDispatch());
    const ref = screen.getByLabelText(/^Ref/);
    await waitFor(() => expect(ref).toHaveAttribute('aria-invalid', 'true'));
    expect(
      screen.getByText('ref: must be a branch, tag or commit name'),
    ).toBeInTheDocument();
  });

  it('disables dispatch naming the permission the caller lacks in the org', async () => {
    const createRun = jest.fn();
    await renderComposer(createRun, ['agents.run.create']);
    // Another stack than the other tests: permission decisions are cached per resource.
    fireEvent.click(await screen.findByRole('radio', { name: /careful/ }));
    expect(
      await screen.findByText(
        'You may not dispatch runs in acme (agents.run.create)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Dispatch' })).toBeDisabled();
    expect(createRun).not.toHaveBeenCalled();
  });

  it('asks for a stack and a prompt before sending anything', async () => {
    const createRun = jest.fn();
    await renderComposer(createRun);
    fireEvent.click(await screen.findByRole('button', { name: 'Dispatch' }));
    expect(await screen.findByText('Pick a stack')).toBeInTheDocument();
    expect(
      screen.getByText('Say what the agent should do'),
    ).toBeInTheDocument();
    expect(createRun).not.toHaveBeenCalled();
  });
  it('clears each error as soon as its field is valid', async () => {
    const createRun = jest.fn();
    await renderComposer(createRun);
    fireEvent.click(await screen.findByRole('button', { name: 'Dispatch' }));
    expect(await screen.findByText('Pick a stack')).toBeInTheDocument();
    const prompt = screen.getByLabelText(/Prompt/);
    expect(prompt).toHaveAttribute('aria-invalid', 'true');

    fireEvent.click(screen.getByRole('radio', { name: /scripted-demo/ }));
    expect(screen.queryByText('Pick a stack')).not.toBeInTheDocument();
    expect(prompt).toHaveAttribute('aria-invalid', 'true');

    fireEvent.change(prompt, { target: { value: 'Fix it' } });
    expect(prompt).toHaveAttribute('aria-invalid', 'false');
    expect(
      screen.queryByText('Say what the agent should do'),
    ).not.toBeInTheDocument();

    fireEvent.change(prompt, { target: { value: ' ' } });
    expect(prompt).toHaveAttribute('aria-invalid', 'true');
    expect(createRun).not.toHaveBeenCalled();
  });

  it('clears an error the API reported about a field once that field changes', async () => {
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'InputError', message: 'ref: no such branch' },
          response: { statusCode: 400 },
        }),
        { status: 400, headers: { 'content-type': 'application/json' } },
      ),
    );
    await renderComposer(async () => {
      throw refused;
    });
    fireEvent.click(
      await screen.findByRole('radio', { name: /scripted-demo/ }),
    );
    fireEvent.change(screen.getByLabelText(/Prompt/), {
      target: { value: 'x' },
    });
    const ref = screen.getByLabelText(/^Ref/);
    fireEvent.change(ref, { target: { value: 'gone' } });
    fireEvent.click(await enabledDispatch());
    await waitFor(() => expect(ref).toHaveAttribute('aria-invalid', 'true'));

    fireEvent.change(ref, { target: { value: 'main' } });
    expect(ref).toHaveAttribute('aria-invalid', 'false');
    expect(screen.queryByText('ref: no such branch')).not.toBeInTheDocument();
  });
});

describe('fieldOfError', () => {
  it('finds the request field an error names', () => {
    expect(fieldOfError('ref: must be a branch')).toBe('ref');
    expect(
      fieldOfError('contextLabels[1]: AgentContextLabel acme/x not found'),
    ).toBe('contextLabels');
    expect(fieldOfError('stack: AgentStack acme/p is Invalid')).toBe('stack');
    expect(fieldOfError('memory.queries[0].pattern: not a regex')).toBe(
      'memory',
    );
    expect(
      fieldOfError('AgentWorkspacePolicy acme/default: root is outside'),
    ).toBeUndefined();
  });
});
