import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { refusal } from '../../__testUtils__/artifactFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  registryApi,
  skillFixture,
  subagentFixture,
  usingStack,
} from '../../__testUtils__/registryFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { SkillDetailPage } from './SkillDetailPage';

// Whole pages render slowly on a loaded machine.
jest.setTimeout(30_000);

const COMMIT = 'c0ffee1234567890c0ffee1234567890c0ffee12';

const OBJECTS = [
  skillFixture('triage', {
    spec: {
      source: { repository: 'acme/runbooks', path: 'skills/triage', ref: 'v2' },
      compatibleRuntimes: ['claude-code', 'codex'],
      requiredSecrets: [{ name: 'jira', key: 'token' }],
      requiredConfig: [{ name: 'triage-settings', key: 'labels' }],
    },
    status: {
      validation: 'Invalid',
      resolvedCommit: COMMIT,
      lastValidationTime: '2026-01-01T10:00:00.000Z',
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'SkillFileMissing',
          message: 'skills/triage/SKILL.md does not exist at v2',
          lastTransitionTime: '2026-01-01T10:00:00.000Z',
        },
      ],
    },
  }),
  usingStack('reviewer-stack', { skills: ['triage'] }),
  usingStack('delegating', { subagents: ['helper'] }),
  subagentFixture('helper', { skills: ['triage'] }),
  usingStack('unrelated', { skills: ['release'] }),
];

function renderPage(
  api: Partial<AgentsApi>,
  route = '/agents/skills/acme/triage',
) {
  return renderInTestApp(
    <TestApiProvider apis={[mockPermissions(), [agentsApiRef, api]]}>
      <Routes>
        <Route
          path="/agents/skills/:namespace/:name"
          element={<SkillDetailPage pollIntervalMs={60_000} />}
        />
      </Routes>
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const loaded = () =>
  screen.findByText('Resolved commit', undefined, { timeout: 10_000 });

describe('SkillDetailPage', () => {
  it('shows the source, the validation and its conditions', async () => {
    await renderPage(registryApi(OBJECTS));
    await loaded();
    expect(screen.getByText('acme/runbooks')).toBeInTheDocument();
    expect(screen.getByText('skills/triage')).toBeInTheDocument();
    expect(screen.getByText('v2')).toBeInTheDocument();
    expect(screen.getByLabelText('Resolved commit')).toHaveTextContent(COMMIT);
    expect(screen.getByLabelText('Validation Invalid')).toBeInTheDocument();
    expect(screen.getByLabelText('Condition Ready')).toHaveTextContent(
      'skills/triage/SKILL.md does not exist at v2',
    );
  });

  it('marks the compatible runtimes this backend does not register and lists the keys it needs', async () => {
    await renderPage(registryApi(OBJECTS));
    await loaded();
    const runtimes = screen.getByRole('list', { name: 'Compatible runtimes' });
    expect(
      await within(runtimes).findByText('codex (not registered)'),
    ).toBeInTheDocument();
    expect(within(runtimes).getByText('claude-code')).toBeInTheDocument();
    expect(
      within(screen.getByRole('table', { name: 'Required secrets' }))
        .getByText('jira')
        .closest('tr'),
    ).toHaveTextContent('jiratoken');
    expect(
      within(screen.getByRole('table', { name: 'Required config' }))
        .getByText('triage-settings')
        .closest('tr'),
    ).toHaveTextContent('triage-settingslabels');
  });

  it('lists the stacks that load it, directly or through a subagent', async () => {
    await renderPage(registryApi(OBJECTS));
    await loaded();
    const stacks = await screen.findByRole(
      'list',
      { name: 'Stacks using it' },
      { timeout: 10_000 },
    );
    expect(
      within(stacks)
        .getAllByRole('link')
        .map(l => l.textContent),
    ).toEqual(['reviewer-stack', 'delegating']);
    expect(stacks).toHaveTextContent('delegating through subagent helper');
  });

  it('opens the skill in the resource editor', async () => {
    await renderPage(registryApi(OBJECTS));
    await loaded();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Edit' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    expect(
      await screen.findByText('AgentSkill acme/triage'),
    ).toBeInTheDocument();
  });

  it('says so when the skill does not exist', async () => {
    await renderPage(registryApi(OBJECTS), '/agents/skills/acme/gone');
    expect(
      await screen.findByText('No skill acme/gone', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All skills' })).toHaveAttribute(
      'href',
      '/agents/skills?namespace=acme',
    );
  });

  it('shows the error when the skill cannot be read', async () => {
    await renderPage(
      registryApi(OBJECTS, {
        getResource: async () => {
          throw await refusal(500, 'database is down');
        },
      }),
    );
    expect(
      await screen.findByText(/Could not read skill acme\/triage/, undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
  });
});
