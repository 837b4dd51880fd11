import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  registryApi,
  skillFixture,
} from '../../__testUtils__/registryFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { SkillsPage } from './SkillsPage';

// Whole pages render slowly on a loaded machine.
jest.setTimeout(30_000);

const SKILLS = [
  skillFixture('triage', {
    spec: {
      source: { repository: 'acme/runbooks', path: 'skills/triage', ref: 'v2' },
      compatibleRuntimes: ['claude-code', 'codex'],
    },
    status: { validation: 'Valid' },
  }),
  skillFixture('release'),
];

function renderPage(api: Partial<AgentsApi>, route = '/agents/skills') {
  return renderInTestApp(
    <TestApiProvider apis={[mockPermissions(), [agentsApiRef, api]]}>
      <SkillsPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const rowOf = async (name: string) =>
  (await screen.findByRole('link', { name }, { timeout: 10_000 })).closest(
    'tr',
  )!;

describe('SkillsPage', () => {
  it('lists the skills with source, runtimes and validation state', async () => {
    await renderPage(registryApi(SKILLS));
    const triage = await rowOf('triage');
    expect(within(triage).getByRole('link')).toHaveAttribute(
      'href',
      '/agents/skills/acme/triage',
    );
    expect(
      within(triage).getByText('acme/runbooks/skills/triage@v2'),
    ).toBeInTheDocument();
    expect(within(triage).getByText('claude-code, codex')).toBeInTheDocument();
    expect(
      within(triage).getByLabelText('Validation Valid'),
    ).toBeInTheDocument();
    const release = await rowOf('release');
    expect(within(release).getByText('any')).toBeInTheDocument();
    expect(
      within(release).getByLabelText('Validation Not validated'),
    ).toBeInTheDocument();
  });

  it('offers a new skill when there is none, as a draft in the editor', async () => {
    await renderPage(registryApi([]), '/agents/skills?namespace=globex');
    expect(
      await screen.findByText('No skills in globex', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'New skill' }));
    expect(
      await screen.findByText('Draft differs from applied'),
    ).toBeInTheDocument();
    expect(screen.getByText('AgentSkill globex/')).toBeInTheDocument();
  });

  it('shows the error when the skills cannot be listed', async () => {
    await renderPage(
      registryApi([], {
        listResources: async () => {
          throw new Error('backend down');
        },
      }),
    );
    expect(
      await screen.findByText(/Could not list skills/, undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
  });
});
