import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import { workspaceFixture } from '../../__testUtils__/workspaceFixture';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { RunWorkspaceState } from './RunWorkspaceState';

function renderState(getWorkspace: AgentsApi['getWorkspace']) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { getWorkspace }]]}>
      <div data-testid="state">
        <RunWorkspaceState namespace="acme" workspace="ws-1" />
      </div>
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const withStatus = (status: AgentWorkspace['status']) => async () =>
  workspaceFixture('ws-1', { status });

describe('RunWorkspaceState', () => {
  it('says the workspace is missing and links to its page to recover or relink it', async () => {
    await renderState(withStatus({ state: 'missing', pathMissing: true }));
    const banner = await screen.findByLabelText('WorkspaceMissing');
    expect(banner).toHaveTextContent(/The path of workspace ws-1 is gone/);
    expect(banner).toHaveTextContent(/Recover it, relink it/);
    expect(
      within(banner).getByRole('link', { name: 'workspace ws-1' }),
    ).toHaveAttribute('href', '/agents/workspaces/acme/ws-1');
  });

  it('says the workspace record is gone when it cannot be found', async () => {
    await renderState(async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: 'not found' },
            response: { statusCode: 404 },
          }),
          { status: 404, headers: { 'content-type': 'application/json' } },
        ) as any,
      );
    });
    expect(await screen.findByLabelText('WorkspaceMissing')).toHaveTextContent(
      /no longer exists/,
    );
  });

  it('lists conflicting files and points to the rebase actions', async () => {
    await renderState(
      withStatus({
        state: 'active',
        git: {
          rebaseInProgress: true,
          conflictingFiles: ['src/a.js', 'src/b.js'],
          behind: 3,
        },
      }),
    );
    const banner = await screen.findByLabelText('WorkspaceConflicts');
    expect(banner).toHaveTextContent(
      'Conflicting files: src/a.js, src/b.js. Resolve them on the workspace ws-1',
    );
    expect(
      within(banner).getByRole('link', { name: 'workspace ws-1' }),
    ).toHaveAttribute('href', '/agents/workspaces/acme/ws-1');
  });

  it('says a rebase is needed when the workspace is behind', async () => {
    await renderState(
      withStatus({
        state: 'active',
        git: { behind: 2, trackingBranch: 'origin/main' },
      }),
    );
    expect(
      await screen.findByLabelText('WorkspaceRebaseNeeded'),
    ).toHaveTextContent('is 2 commits behind origin/main');
  });

  it('says nothing while the workspace is fine, and warns when it cannot be read', async () => {
    const fine = jest.fn(withStatus({ state: 'active', git: { behind: 0 } }));
    const { unmount } = await renderState(fine);
    await waitFor(() => expect(fine).toHaveBeenCalled());
    await act(async () => {});
    expect(screen.getByTestId('state')).toBeEmptyDOMElement();
    unmount();

    await renderState(async () => {
      throw new Error('backend down');
    });
    expect(
      await screen.findByText(
        "Could not read the run's workspace ws-1: backend down",
      ),
    ).toBeInTheDocument();
  });
});
