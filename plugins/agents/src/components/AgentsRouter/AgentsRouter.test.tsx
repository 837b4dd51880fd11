import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  AGENTS_PAGES_PATH,
  agentKinds,
  agentsObjectPath,
} from '@krate/plugin-agents-common';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { runFixture } from '../../__testUtils__/fixtures';
import { FakeRunEventLog } from '../../__testUtils__/FakeRunEventLog';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { AgentsRouter } from './AgentsRouter';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  memoryGraphFixture,
  memoryRecordFixture,
  memoryStatusFixture,
} from '../../__testUtils__/memoryFixtures';
import { memoryUpdateFixture } from '../../__testUtils__/memoryUpdateFixtures';

const empty = async () => ({ items: [], resourceVersion: '1' });
const api: Partial<AgentsApi> = {
  ...new FakeRunEventLog().api,
  getHealth: async () => ({
    status: 'ok',
    version: '1',
    storage: { dialect: 'sqlite' },
  }),
  listRuns: empty,
  listApprovals: empty,
  listStacks: empty,
  listRules: empty,
  listDeliveries: empty,
  listWorkspaces: empty,
  listSessions: empty,
  listCapabilities: async () => ({ items: [] }),
  getRunActions: async () => ({ items: [] }),
  listResources: async () => ({
    items: [],
    metadata: { resourceVersion: '1' },
  }),
  getResource: async () => {
    throw new Error('not found');
  },
  getRun: async name => runFixture(name),
  listMemoryOrgs: async () => ({ items: [{ org: 'acme' }] }),
  getMemoryStatus: async () => memoryStatusFixture(),
  getMemoryGraph: async () => memoryGraphFixture({ nodes: [], edges: [] }),
  getMemoryRecord: async () => memoryRecordFixture(),
  listMemoryUpdates: async () => ({ items: [], withheld: 0 }),
  getMemoryUpdate: async (_org, name) => memoryUpdateFixture(name),
};

async function renderAt(path: string) {
  await renderInTestApp(
    <TestApiProvider apis={[mockPermissions(), [agentsApiRef, api]]}>
      <Routes>
        <Route path="/agents/*" element={<AgentsRouter />} />
      </Routes>
    </TestApiProvider>,
    { routeEntries: [path], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('AgentsRouter', () => {
  it.each([
    ['/agents', 'Agents'],
    ['/agents/runs', 'Agent runs'],
    ['/agents/runs/new', 'New run'],
    ['/agents/runs/run-7', 'run-7'],
    ['/agents/sessions', 'Agent sessions'],
    ['/agents/sessions/acme/run-7-1-session', 'run-7-1-session'],
    ['/agents/approvals', 'Approvals'],
    ['/agents/stacks', 'Agent stacks'],
    ['/agents/stacks/acme/scripted-demo', 'scripted-demo'],
    ['/agents/workspaces', 'Agent workspaces'],
    ['/agents/rules', 'Trigger rules'],
    ['/agents/rules/acme/checkout-agent-ready', 'checkout-agent-ready'],
    ['/agents/tools', 'Tool profiles'],
    ['/agents/tools/acme/payments-safe', 'payments-safe'],
    ['/agents/mcp', 'MCP servers'],
    ['/agents/mcp/acme/github', 'github'],
    ['/agents/skills', 'Skills'],
    ['/agents/skills/acme/triage', 'triage'],
    ['/agents/memory', 'Memory'],
    ['/agents/memory/search', 'Memory search'],
    ['/agents/memory/graph', 'Memory graph'],
    ['/agents/memory/records?id=services%2Fpayments-api', 'Memory record'],
    ['/agents/memory/updates', 'Memory updates'],
    ['/agents/memory/updates/acme/ledger-runbook', 'Title of ledger-runbook'],
  ])('routes %s to its page', async (path, title) => {
    await renderAt(path);
    expect(
      await screen.findByRole('heading', { level: 1, name: title }),
    ).toBeInTheDocument();
  });
});

describe('AgentsRouter, at the location of a search result', () => {
  // The search documents of every configuration kind, and of runs and approvals (with the link to
  // the approval's run), point here: none may be dead.
  it.each(
    [
      ...agentKinds.filter(k => k.category === 'configuration'),
      { kind: 'AgentDispatchRun' },
      { kind: 'AgentApproval' },
    ].map(({ kind }) => [
      kind,
      `${AGENTS_PAGES_PATH}/${agentsObjectPath(kind, 'acme', 'x')}`,
    ]),
  )('opens the page of a %s (%s)', async (_kind, location) => {
    await renderAt(location);
    const [heading] = await screen.findAllByRole('heading', { level: 1 });
    expect(heading).not.toHaveTextContent('Page not found');
  });
});

describe('AgentsRouter, at an address that names no page', () => {
  it.each([
    '/agents/no-such-page',
    '/agents/runs/acme/x/y/z',
    '/agents/stacks/acme',
    '/agents/workspaces/acme/ws/extra',
    '/agents/memory/records/services/payments-api',
    '/agents/memory/updates/acme',
  ])('shows %s as not found, with the way back', async path => {
    await renderAt(path);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Page not found' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Go to the Agents overview' }),
    ).toHaveAttribute('href', '/agents');
    expect(screen.getByRole('tab', { name: 'Runs' })).toHaveAttribute(
      'href',
      '/agents/runs',
    );
    expect(screen.getByRole('tab', { name: 'Stacks' })).toHaveAttribute(
      'href',
      '/agents/stacks',
    );
  });
});
