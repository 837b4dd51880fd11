import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { AgentsApi, agentsApiRef } from '../../api';
import { AgentsPage } from './AgentsPage';

function renderPage(getHealth: AgentsApi['getHealth']) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { getHealth }]]}>
      <AgentsPage />
    </TestApiProvider>,
  );
}

describe('AgentsPage', () => {
  it('shows the backend version and storage', async () => {
    await renderPage(async () => ({
      status: 'ok',
      version: '0.1.0',
      storage: { dialect: 'postgres' },
    }));

    expect(screen.getByRole('heading', { name: 'Agents' })).toBeInTheDocument();
    expect(await screen.findByText('PostgreSQL')).toBeInTheDocument();
    expect(screen.getByText('0.1.0')).toBeInTheDocument();
  });

  it('says when the backend is unreachable', async () => {
    await renderPage(async () => {
      throw new Error('connect ECONNREFUSED');
    });

    expect(
      await screen.findByText(/The agents backend is unreachable/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/connect ECONNREFUSED/).length).toBeGreaterThan(
      0,
    );
  });
});
