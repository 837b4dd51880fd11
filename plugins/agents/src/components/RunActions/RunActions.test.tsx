import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { runFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { RunActions } from './RunActions';

const capabilities = async () => ({
  items: [
    {
      id: 'scripted',
      displayName: 'Scripted agent',
      capabilities: { resume: true },
    },
  ],
});

function renderActions(
  run: ReturnType<typeof runFixture>,
  runAction: AgentsApi['runAction'],
  onDone = jest.fn(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[[agentsApiRef, { runAction, listCapabilities: capabilities }]]}
    >
      <RunActions run={run} onDone={onDone} />
    </TestApiProvider>,
  );
}

describe('RunActions', () => {
  it('offers only what the run status allows', async () => {
    await renderActions(
      runFixture('run-1', { status: { phase: 'Waiting', session: 's' } }),
      jest.fn(),
    );
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled();
    for (const name of ['Retry', 'Resume', 'Fork', 'Continue']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
  });

  it('confirms a retry naming the run and the request, then performs it', async () => {
    const onDone = jest.fn();
    const runAction = jest.fn(async () =>
      runFixture('run-1', { status: { phase: 'Queued' } }),
    );
    await renderActions(
      runFixture('run-1', { status: { phase: 'Failed', session: 's' } }),
      runAction,
      onDone,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
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
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
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
