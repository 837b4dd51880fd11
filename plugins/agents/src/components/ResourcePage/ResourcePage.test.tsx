import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { AgentsApi, agentsApiRef, AgentsResource } from '../../api';
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
    <TestApiProvider apis={[[agentsApiRef, { getResource }]]}>
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
});
