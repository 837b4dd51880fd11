import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { AgentsApi, agentsApiRef, AgentsResource } from '../../api';
import { mockPermissions } from '../../__testUtils__/permissions';
import { rootRouteRef } from '../../routes';
import { ResourcePage } from './ResourcePage';

const skill: AgentsResource = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentSkill',
  metadata: { name: 'triage', namespace: 'acme' },
  spec: { description: 'Sorts new issues' },
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

function renderAt(path: string, getResource: AgentsApi['getResource']) {
  return renderInTestApp(
    <TestApiProvider
      apis={[[agentsApiRef, { getResource }], mockPermissions()]}
    >
      <Routes>
        <Route
          path="/agents/resources/:plural/:namespace/:name"
          element={<ResourcePage />}
        />
      </Routes>
    </TestApiProvider>,
    { routeEntries: [path], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('ResourcePage', () => {
  it('shows the object as stored, with its org crumb', async () => {
    const getResource = jest.fn(async () => skill);
    await renderAt('/agents/resources/agentskills/acme/triage', getResource);
    expect(await screen.findByLabelText('AgentSkill triage')).toHaveTextContent(
      'description: Sorts new issues',
    );
    expect(
      screen.getByRole('heading', { level: 1, name: 'triage' }),
    ).toBeInTheDocument();
    expect(getResource).toHaveBeenCalledWith('agentskills', 'acme', 'triage');
    expect(
      within(screen.getByLabelText('AgentSkill breadcrumbs')).getByRole(
        'link',
        { name: 'acme' },
      ),
    ).toHaveAttribute('href', '/agents/stacks?namespace=acme');
  });

  it('says when the object does not exist', async () => {
    await renderAt('/agents/resources/agentskills/acme/gone', async () => {
      throw await notFound();
    });
    expect(
      await screen.findByText('No AgentSkill acme/gone'),
    ).toBeInTheDocument();
  });

  it('is not found for a kind that does not exist', async () => {
    const getResource = jest.fn();
    await renderAt('/agents/resources/widgets/acme/x', getResource);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Page not found' }),
    ).toBeInTheDocument();
    expect(getResource).not.toHaveBeenCalled();
  });

  it('edits a configuration object in the resource editor', async () => {
    const getResource = jest.fn(async () => skill);
    await renderAt('/agents/resources/agentskills/acme/triage', getResource);
    await screen.findByLabelText('AgentSkill triage');
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await userEvent.click(await screen.findByRole('tab', { name: 'YAML' }));
    expect(
      (screen.getByLabelText('YAML') as HTMLTextAreaElement).value,
    ).toMatch(/kind: AgentSkill[\s\S]*description: Sorts new issues/);
  });

  it('has no Edit for an execution record', async () => {
    const run: AgentsResource = {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentDispatchRun',
      metadata: { name: 'run-1', namespace: 'acme' },
      spec: { stack: 'triage', prompt: 'Sort' },
    };
    await renderAt(
      '/agents/resources/agentdispatchruns/acme/run-1',
      jest.fn(async () => run),
    );
    await screen.findByLabelText('AgentDispatchRun run-1');
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  });
});
