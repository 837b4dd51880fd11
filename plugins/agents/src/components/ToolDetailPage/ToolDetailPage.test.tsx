import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ToolCheckRequest } from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { refusal } from '../../__testUtils__/artifactFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  registryApi,
  subagentFixture,
  toolProfileFixture,
  usingStack,
} from '../../__testUtils__/registryFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { ToolDetailPage } from './ToolDetailPage';

// Whole pages render slowly on a loaded machine.
jest.setTimeout(30_000);

const SAFE = toolProfileFixture('payments-safe', {
  allowedTools: ['Read', 'Edit', 'Bash'],
  shell: { allowCommands: ['npm test*'], denyCommands: ['rm -rf *'] },
  filesystem: {
    readRoots: ['src', 'docs'],
    writeRoots: ['src'],
    deniedPaths: ['**/.env'],
  },
  network: { mode: 'allow-list', allowedHosts: ['registry.npmjs.org'] },
  approvalRequired: ['network'],
});

const OBJECTS = [
  SAFE,
  usingStack('direct', { toolProfile: 'payments-safe' }),
  usingStack('delegating', { subagents: ['reviewer'] }),
  usingStack('unrelated', { toolProfile: 'other' }),
  subagentFixture('reviewer', { toolProfile: 'payments-safe' }),
  usingStack('other-org', { toolProfile: 'payments-safe' }, 'globex'),
  toolProfileFixture('locked'),
];

function renderPage(
  api: Partial<AgentsApi>,
  options: { denied?: string[]; route?: string } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(options.denied), [agentsApiRef, api]]}
    >
      <Routes>
        <Route
          path="/agents/tools/:namespace/:name"
          element={<ToolDetailPage pollIntervalMs={60_000} />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/agents/tools/acme/payments-safe'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

/** The profile has been read: its cards are on the page. */
const loaded = () =>
  screen.findByLabelText('Readiness Ready', undefined, { timeout: 10_000 });

describe('ToolDetailPage', () => {
  it('shows the command, filesystem and network policy and what waits for approval', async () => {
    await renderPage(registryApi(OBJECTS));
    await loaded();
    const allowed = screen.getByRole('list', { name: 'Allowed commands' });
    expect(within(allowed).getByText('npm test*')).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Denied commands' })).getByText(
        'rm -rf *',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Read-only roots' })).getByText(
        'docs',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Denied paths' })).getByText(
        '**/.env',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('allow-list: only the hosts below'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Allowed hosts' })).getByText(
        'registry.npmjs.org',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Approval required' })).getByText(
        'network',
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Readiness Ready')).toBeInTheDocument();
  });

  it('lists the stacks of its org that use it, directly or through a subagent', async () => {
    await renderPage(registryApi(OBJECTS));
    await loaded();
    const stacks = await screen.findByRole(
      'list',
      { name: 'Stacks using it' },
      { timeout: 10_000 },
    );
    expect(
      within(stacks).getByRole('link', { name: 'direct' }),
    ).toHaveAttribute('href', '/agents/stacks/acme/direct');
    const delegating = within(stacks).getByRole('link', { name: 'delegating' });
    expect(delegating.closest('li')).toHaveTextContent(
      'delegating through subagent reviewer',
    );
    expect(within(stacks).getAllByRole('link')).toHaveLength(2);
  });

  it('asks the backend whether a command, a path write or a host is allowed and shows why', async () => {
    const asked: ToolCheckRequest[] = [];
    const checkTool = async (request: ToolCheckRequest) => {
      asked.push(request);
      return request.command
        ? {
            verdict: 'deny' as const,
            reason:
              'AgentToolProfile/payments-safe denies the command "rm -rf /"',
            policySource: 'AgentToolProfile/payments-safe',
          }
        : {
            verdict: 'allow' as const,
            reason: 'AgentToolProfile/payments-safe allows it',
            policySource: 'AgentToolProfile/payments-safe',
          };
    };
    await renderPage(registryApi(OBJECTS, { checkTool }));
    await loaded();

    fireEvent.change(screen.getByLabelText('Command'), {
      target: { value: 'rm -rf /' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    const verdict = await screen.findByLabelText('Tool check verdict');
    expect(verdict).toHaveTextContent(
      'Denied: AgentToolProfile/payments-safe denies the command "rm -rf /"',
    );
    expect(verdict).toHaveTextContent(
      'Decided by AgentToolProfile/payments-safe',
    );

    fireEvent.mouseDown(screen.getByLabelText('Check a'));
    fireEvent.click(await screen.findByRole('option', { name: 'path' }));
    fireEvent.change(screen.getByLabelText('Path'), {
      target: { value: 'src/index.ts' },
    });
    fireEvent.click(screen.getByLabelText('Write'));
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(
      await screen.findByText(/Allowed/, { selector: 'strong' }),
    ).toBeInTheDocument();

    expect(asked).toEqual([
      { namespace: 'acme', profile: 'payments-safe', command: 'rm -rf /' },
      {
        namespace: 'acme',
        profile: 'payments-safe',
        path: 'src/index.ts',
        write: true,
      },
    ]);
  });

  it('shows the server reason when the check is refused', async () => {
    await renderPage(
      registryApi(OBJECTS, {
        checkTool: async () => {
          throw await refusal(400, 'host must be a host name');
        },
      }),
    );
    await loaded();
    fireEvent.mouseDown(screen.getByLabelText('Check a'));
    fireEvent.click(await screen.findByRole('option', { name: 'host' }));
    fireEvent.change(screen.getByLabelText('Host'), {
      target: { value: 'http://x' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(
      await screen.findByText('Could not check: host must be a host name'),
    ).toBeInTheDocument();
  });

  it('opens the profile in the resource editor', async () => {
    await renderPage(registryApi(OBJECTS));
    await loaded();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Edit' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    expect(
      await screen.findByText('AgentToolProfile acme/payments-safe'),
    ).toBeInTheDocument();
  });

  it('disables Edit, saying why, without the update permission', async () => {
    // Another profile than the other tests: permission decisions are cached per resource.
    await renderPage(registryApi(OBJECTS), {
      denied: ['agents.tool-profile.update'],
      route: '/agents/tools/acme/locked',
    });
    await loaded();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Edit' })).toBeDisabled(),
    );
    expect(
      screen.getByText(/agents\.tool-profile\.update/, {
        selector: 'p',
      }),
    ).toBeInTheDocument();
  });

  it('says so when the profile does not exist, linking to the list', async () => {
    await renderPage(registryApi(OBJECTS), {
      route: '/agents/tools/acme/gone',
    });
    expect(
      await screen.findByText('No tool profile acme/gone'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'All tool profiles' }),
    ).toHaveAttribute('href', '/agents/tools?namespace=acme');
  });

  it('shows the error when the profile cannot be read', async () => {
    await renderPage(
      registryApi(OBJECTS, {
        getResource: async () => {
          throw await refusal(500, 'database is down');
        },
      }),
    );
    expect(
      await screen.findByText(
        /Could not read tool profile acme\/payments-safe/,
      ),
    ).toBeInTheDocument();
  });
});
