import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { StacksPage } from './StacksPage';
import { mockPermissions } from '../../__testUtils__/permissions';

const listCapabilities: AgentsApi['listCapabilities'] = async () => ({
  items: ['scripted', 'claude-code'].map(id => ({
    id,
    displayName: id,
    capabilities: {},
  })),
});

function renderPage(
  listResources: AgentsApi['listResources'],
  route = '/agents/stacks',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        mockPermissions(),
        [agentsApiRef, { listResources, listCapabilities }],
      ]}
    >
      <StacksPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const oneStack: AgentsApi['listResources'] = async () => ({
  metadata: { resourceVersion: '7' },
  items: [
    {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentStack',
      metadata: { name: 'scripted-demo', namespace: 'acme', uid: 'u1' },
      spec: { runtime: 'scripted', model: 'none' },
      status: { readiness: 'Ready' },
    },
  ],
});

const noStacks: AgentsApi['listResources'] = async () => ({
  metadata: { resourceVersion: '1' },
  items: [],
});

/** Escape pressed while typing in the builder. */
const escape = () =>
  fireEvent.keyDown(screen.getByLabelText('spec.model'), { key: 'Escape' });

describe('StacksPage', () => {
  it('lists stacks linking to their pages, and opens one in the builder', async () => {
    await renderPage(oneStack);

    const link = await screen.findByRole('link', { name: 'scripted-demo' });
    expect(link).toHaveAttribute('href', '/agents/stacks/acme/scripted-demo');
    expect(screen.getByText('Ready')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Edit in builder' }));
    expect(
      await screen.findByText('AgentStack acme/scripted-demo'),
    ).toBeInTheDocument();
    expect(screen.getByText('Applied')).toBeInTheDocument();
  });

  it('opens the builder on the stack named by ?edit=', async () => {
    await renderPage(oneStack, '/agents/stacks?edit=acme/scripted-demo');
    expect(
      await screen.findByText('AgentStack acme/scripted-demo'),
    ).toBeInTheDocument();
  });

  it('says so when ?edit= names a stack that does not exist', async () => {
    await renderPage(oneStack, '/agents/stacks?edit=acme/gone');
    expect(
      await screen.findByText(/No stack acme\/gone to edit/),
    ).toBeInTheDocument();
    expect(screen.queryByText('AgentStack acme/gone')).not.toBeInTheDocument();
  });

  it('offers a new stack when there is none', async () => {
    await renderPage(async () => ({
      metadata: { resourceVersion: '1' },
      items: [],
    }));
    expect(await screen.findByText('No agent stacks yet')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'New stack' }));
    expect(
      await screen.findByText('Draft differs from applied'),
    ).toBeInTheDocument();
  });

  it('offers New stack as a button above the list', async () => {
    await renderPage(oneStack);
    await screen.findByRole('link', { name: 'scripted-demo' });
    const button = screen.getByRole('button', { name: 'New stack' });
    expect(button.className).toMatch(/MuiButton-contained/);
    fireEvent.click(button);
    expect(
      await screen.findByText('Draft differs from applied'),
    ).toBeInTheDocument();
  });

  it('refuses a scripted stack without steps, with the reason at the field', async () => {
    await renderPage(noStacks);
    fireEvent.click(await screen.findByRole('button', { name: 'New stack' }));
    fireEvent.change(screen.getByLabelText('metadata.name'), {
      target: { value: 'no-steps' },
    });
    expect(
      screen.getByText(
        /^steps: edit in the YAML view — is required: the scripted runtime plays these steps/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();

    fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
    const yaml = screen.getByLabelText('YAML') as HTMLTextAreaElement;
    fireEvent.change(yaml, {
      target: {
        value: `${yaml.value}  script:\n    steps:\n      - say: hello\n`,
      },
    });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled(),
    );
  });

  it('says before apply that the runtime is not registered on the backend', async () => {
    await renderPage(noStacks);
    fireEvent.click(await screen.findByRole('button', { name: 'New stack' }));
    fireEvent.change(screen.getByLabelText('metadata.name'), {
      target: { value: 'typo' },
    });
    const runtime = screen.getByLabelText('spec.runtime');
    fireEvent.change(runtime, { target: { value: 'claude' } });
    expect(
      await screen.findByText(
        "'claude' is not registered on this backend (registered: scripted, claude-code)",
      ),
    ).toBeInTheDocument();
    expect(runtime).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();

    fireEvent.change(runtime, { target: { value: 'claude-code' } });
    expect(runtime).toHaveAttribute('aria-invalid', 'false');
    expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled();
  });

  it('asks before Escape or a click outside drops unsaved edits in the builder, and closes at once without any', async () => {
    await renderPage(oneStack);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Edit in builder' }),
    );
    await screen.findByText('AgentStack acme/scripted-demo');
    fireEvent.change(screen.getByLabelText('spec.model'), {
      target: { value: 'edited' },
    });

    escape();
    const dialog = await screen.findByRole('dialog', {
      name: 'Discard your changes?',
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Keep editing' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Discard your changes?' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByLabelText('spec.model')).toHaveValue('edited');

    fireEvent.click(document.querySelector('[class*="MuiBackdrop-root"]')!);
    expect(
      await screen.findByRole('dialog', { name: 'Discard your changes?' }),
    ).toBeInTheDocument();
    fireEvent.keyDown(
      screen.getByRole('dialog', { name: 'Discard your changes?' }),
      { key: 'Escape' },
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Discard your changes?' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByLabelText('spec.model')).toHaveValue('edited');

    escape();
    fireEvent.click(
      within(
        await screen.findByRole('dialog', { name: 'Discard your changes?' }),
      ).getByRole('button', { name: 'Discard' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByText('AgentStack acme/scripted-demo'),
      ).not.toBeInTheDocument(),
    );

    fireEvent.click(
      await screen.findByRole('button', { name: 'Edit in builder' }),
    );
    await screen.findByText('AgentStack acme/scripted-demo');
    escape();
    await waitFor(() =>
      expect(
        screen.queryByText('AgentStack acme/scripted-demo'),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.queryByRole('dialog', { name: 'Discard your changes?' }),
    ).not.toBeInTheDocument();
  }, 20_000);

  it('renders the table without material-table warnings about row ids or unstable columns', async () => {
    const env = process.env.NODE_ENV;
    // material-table checks rows and columns only in development builds.
    process.env.NODE_ENV = 'development';
    const warn = jest.spyOn(console, 'warn');
    try {
      await renderPage(oneStack);
      fireEvent.click(
        await screen.findByRole('button', { name: 'Edit in builder' }),
      );
      await screen.findByText('AgentStack acme/scripted-demo');
      const tableWarnings = warn.mock.calls
        .map(([message]) => String(message))
        .filter(message => /unique id|material table/.test(message));
      expect(tableWarnings).toEqual([]);
    } finally {
      warn.mockRestore();
      process.env.NODE_ENV = env;
    }
  });

  it('lists the stacks of the org in the URL', async () => {
    const listResources = jest.fn(async () => ({
      items: [],
      metadata: { resourceVersion: '1' },
    }));
    await renderPage(listResources, '/agents/stacks?namespace=globex');
    expect(
      await screen.findByText('No agent stacks in globex'),
    ).toBeInTheDocument();
    expect(listResources).toHaveBeenCalledWith('agentstacks', {
      namespace: 'globex',
      limit: 500,
    });
  });

  it('shows the error when stacks cannot be listed', async () => {
    await renderPage(async () => {
      throw new Error('backend down');
    });
    expect(
      await screen.findByText(/Could not list agent stacks/),
    ).toBeInTheDocument();
  });
});
