import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { runFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { RunActions } from './RunActions';

type Availability = Awaited<ReturnType<AgentsApi['getRunActions']>>;

const PERMISSIONS = {
  cancel: 'agents.run.cancel',
  retry: 'agents.run.retry',
  resume: 'agents.run.retry',
  fork: 'agents.run.retry',
  continue: 'agents.run.continue',
} as const;

/** The server's answer: every action allowed unless `refused` gives its reason. */
function availability(
  refused: Partial<Record<keyof typeof PERMISSIONS, string>> = {},
): Availability {
  return {
    items: Object.entries(PERMISSIONS).map(([action, permission]) => {
      const reason = refused[action as keyof typeof PERMISSIONS];
      return {
        action: action as keyof typeof PERMISSIONS,
        permission,
        allowed: !reason,
        ...(reason ? { reason } : {}),
      };
    }),
  };
}

function renderActions(
  run: ReturnType<typeof runFixture>,
  runAction: AgentsApi['runAction'],
  options: {
    onDone?: jest.Mock;
    getRunActions?: AgentsApi['getRunActions'];
  } = {},
) {
  const getRunActions =
    options.getRunActions ?? jest.fn(async () => availability());
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { runAction, getRunActions }]]}>
      <RunActions run={run} onDone={options.onDone ?? jest.fn()} />
    </TestApiProvider>,
  );
}

const enabledButton = (name: string) =>
  waitFor(() => {
    const button = screen.getByRole('button', { name });
    expect(button).toBeEnabled();
    return button;
  });

describe('RunActions', () => {
  it('enables each action as the server answers and shows its reason on the disabled ones', async () => {
    const running = 'AgentDispatchRun acme/run-1 is Running: cancel it first';
    const getRunActions = jest.fn(async () =>
      availability({
        retry: running,
        resume: running,
        fork: running,
        continue: 'You may not continue this run (agents.run.continue)',
      }),
    );
    // The run's own status would allow everything: only the server's answer counts.
    await renderActions(
      runFixture('run-1', { status: { phase: 'Failed', session: 's' } }),
      jest.fn(),
      { getRunActions },
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled(),
    );
    for (const name of ['Retry', 'Resume', 'Fork', 'Continue']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
    expect(getRunActions).toHaveBeenCalledWith('run-1', { namespace: 'acme' });

    fireEvent.mouseOver(
      screen.getByRole('button', { name: 'Continue' }).parentElement!,
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You may not continue this run (agents.run.continue)',
    );
  });

  it('keeps every action disabled while the answer is pending or failed, and reads it again when the run changes', async () => {
    const getRunActions = jest
      .fn<Promise<Availability>, [string, { namespace?: string }?]>()
      .mockRejectedValueOnce(new Error('backend unreachable'))
      .mockResolvedValue(availability());
    const run = runFixture('run-1', { status: { phase: 'Running' } });
    const rendered = await renderActions(run, jest.fn(), { getRunActions });
    for (const name of ['Cancel', 'Retry', 'Resume', 'Fork', 'Continue']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
    fireEvent.mouseOver(
      screen.getByRole('button', { name: 'Cancel' }).parentElement!,
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Could not check whether you may do this: backend unreachable',
    );

    rendered.rerender(
      <TestApiProvider
        apis={[[agentsApiRef, { runAction: jest.fn(), getRunActions }]]}
      >
        <RunActions
          run={runFixture('run-1', { status: { phase: 'Failed' } })}
          onDone={jest.fn()}
        />
      </TestApiProvider>,
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Retry' })).toBeEnabled(),
    );
    expect(getRunActions).toHaveBeenCalledTimes(2);
  });

  it('confirms a retry naming the run and the request, then performs it', async () => {
    const onDone = jest.fn();
    const runAction = jest.fn(async () =>
      runFixture('run-1', { status: { phase: 'Queued' } }),
    );
    await renderActions(
      runFixture('run-1', { status: { phase: 'Failed', session: 's' } }),
      runAction,
      { onDone },
    );
    fireEvent.click(await enabledButton('Retry'));
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Retry AgentDispatchRun acme/run-1?'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'POST /api/agents/runs/run-1/retry?namespace=acme',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('agents.run.retry')).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Retry run' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(runAction).toHaveBeenCalledWith('run-1', 'retry', {
      namespace: 'acme',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('sends a continue with its prompt and shows the server refusal', async () => {
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message:
              'AgentDispatchRun acme/run-1 has no idle session to continue',
          },
          request: { method: 'POST', url: '/runs/run-1/continue' },
          response: { statusCode: 409 },
        }),
        { status: 409, headers: { 'content-type': 'application/json' } },
      ),
    );
    const runAction = jest.fn(async () => {
      throw refused;
    });
    await renderActions(
      runFixture('run-1', { status: { phase: 'Succeeded', session: 's' } }),
      runAction,
    );
    fireEvent.click(await enabledButton('Continue'));
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', {
      name: 'Continue run',
    });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Follow-up prompt'), {
      target: { value: 'Also add a test' },
    });
    fireEvent.click(confirm);
    expect(
      await within(dialog).findByText(
        'The server refused: AgentDispatchRun acme/run-1 has no idle session to continue',
      ),
    ).toBeInTheDocument();
    expect(runAction).toHaveBeenCalledWith('run-1', 'continue', {
      namespace: 'acme',
      prompt: 'Also add a test',
    });
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });
});
