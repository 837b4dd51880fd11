import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { RunEvent } from '@krate/plugin-agents-common';
import { eventsFixture } from '../../__testUtils__/fixtures';
import { RunEventsState } from '../../hooks/useRunEvents';
import { RunTranscript } from './RunTranscript';

function stateOf(
  events: RunEvent[],
  overrides: Partial<RunEventsState> = {},
): RunEventsState {
  return {
    events,
    connection: 'connected',
    mode: 'stream',
    failures: 0,
    lastSeq: events.length ? events[events.length - 1].seq : 0,
    reconnect: jest.fn(),
    ...overrides,
  };
}

const SCRIPTED_RUN = eventsFixture([
  { type: 'text', text: "I'll reproduce the rounding problem first." },
  {
    type: 'policy_decision',
    actionClass: 'tool',
    target: 'src/rounding.js',
    decision: 'allow',
    reason: 'AgentToolProfile/sandbox allows it',
  },
  {
    type: 'tool_call',
    toolCallId: 't1',
    toolName: 'Write',
    input: { path: 'src/rounding.js', content: 'x' },
  },
  {
    type: 'tool_result',
    toolCallId: 't1',
    toolName: 'Write',
    output: { byteCount: 54 },
    durationMs: 1,
  },
  {
    type: 'tool_call',
    toolCallId: 't2',
    toolName: 'Bash',
    input: { command: 'cat src/rounding.js' },
  },
  { type: 'shell_start', command: 'cat src/rounding.js', toolCallId: 't2' },
  {
    type: 'shell_output',
    stream: 'stdout',
    text: 'exports.toCents = amount => Math.floor(amount * 100);\n',
    toolCallId: 't2',
  },
  { type: 'shell_exit', exitCode: 0, durationMs: 9, toolCallId: 't2' },
  {
    type: 'tool_result',
    toolCallId: 't2',
    toolName: 'Bash',
    output: { exitCode: 0 },
  },
  { type: 'thinking', text: 'Math.floor drops a cent' },
  {
    type: 'file_change',
    path: 'src/rounding.js',
    change: 'patch',
    diff: '--- a/src/rounding.js\n+++ b/src/rounding.js\n@@ -1 +1 @@\n-floor\n+round\n',
  },
  {
    type: 'events_lost',
    count: 3,
    fromSeq: 40,
    toSeq: 42,
    reason: 'the runtime stream skipped seqs',
  },
  { type: 'subagent_spawn', subagentId: 's1', agentName: 'test-writer' },
  { type: 'text', text: 'Writing a test', subagentId: 's1' },
  { type: 'subagent_result', subagentId: 's1', summary: 'added one test' },
  {
    type: 'approval_requested',
    approval: 'ap-1',
    actionClass: 'write-back',
    target: 'pull request on acme/payments-api',
    policySource: 'AgentToolProfile/sandbox',
  },
  {
    type: 'attempt_phase',
    phase: 'Waiting',
    reason: 'ApprovalBlocked',
    message: 'Waiting for approval ap-1',
  },
]);

describe('RunTranscript', () => {
  it('shows the phases a finished run went through as history, only the last as its status', async () => {
    const events = eventsFixture([
      {
        type: 'attempt_phase',
        phase: 'Running',
        reason: 'SessionBindingPending',
      },
      { type: 'text', text: 'Done.' },
      { type: 'attempt_phase', phase: 'Succeeded', reason: 'Completed' },
    ]);
    await renderInTestApp(
      <RunTranscript
        state={stateOf(events, {
          connection: 'complete',
          endPhase: 'Succeeded',
        })}
      />,
    );
    const log = screen.getByRole('log', { name: 'Run transcript' });
    expect(within(log).queryByTestId('status-running')).not.toBeInTheDocument();
    expect(
      within(log).queryByLabelText('Phase Running'),
    ).not.toBeInTheDocument();
    expect(
      within(log).getByLabelText('Earlier phase Running'),
    ).toHaveTextContent('Was Running · SessionBindingPending');
    expect(within(log).getByLabelText('Phase Succeeded')).toBeInTheDocument();
    expect(within(log).getByTestId('status-ok')).toBeInTheDocument();
  });

  it('keeps the latest phase of a live run live', async () => {
    const events = eventsFixture([
      { type: 'attempt_phase', phase: 'Queued' },
      {
        type: 'attempt_phase',
        phase: 'Running',
        reason: 'SessionBindingPending',
      },
    ]);
    await renderInTestApp(<RunTranscript state={stateOf(events)} />);
    const log = screen.getByRole('log', { name: 'Run transcript' });
    expect(within(log).getByLabelText('Phase Running')).toBeInTheDocument();
    expect(
      within(log).getByLabelText('Earlier phase Queued'),
    ).toBeInTheDocument();
  });

  it('renders the narrative with tool calls collapsed and expandable', async () => {
    await renderInTestApp(<RunTranscript state={stateOf(SCRIPTED_RUN)} />);
    const log = screen.getByRole('log', { name: 'Run transcript' });

    expect(
      within(log).getByText("I'll reproduce the rounding problem first."),
    ).toBeInTheDocument();
    expect(
      within(log).getByText('Thinking: Math.floor drops a cent'),
    ).toBeInTheDocument();
    expect(
      within(log).queryByLabelText('shell output'),
    ).not.toBeInTheDocument();

    fireEvent.click(
      within(log).getByRole('button', { name: 'Tool call Bash' }),
    );
    const shell = await within(log).findByLabelText('shell output');
    expect(shell).toHaveTextContent('$ cat src/rounding.js');
    expect(shell).toHaveTextContent('Math.floor(amount * 100);');
    expect(shell).toHaveTextContent('[exit 0 · 9 ms]');
    expect(
      within(log).getByText(/"command": "cat src\/rounding.js"/),
    ).toBeInTheDocument();

    fireEvent.click(
      within(log).getByRole('button', { name: 'File change src/rounding.js' }),
    );
    expect(
      await within(log).findByRole('region', {
        name: 'Diff of src/rounding.js',
      }),
    ).toBeInTheDocument();
  });

  it('marks lost events, nests subagents and shows approvals and phases', async () => {
    await renderInTestApp(<RunTranscript state={stateOf(SCRIPTED_RUN)} />);
    expect(
      screen
        .getAllByRole('alert')
        .map(alert => alert.textContent)
        .filter(text => text?.includes('events lost')),
    ).toEqual([
      '3 events lost (runtime seq 40–42): the runtime stream skipped seqs',
    ]);
    const lane = screen.getByRole('group', { name: 'Subagent test-writer' });
    expect(within(lane).getByText('Writing a test')).toBeInTheDocument();
    expect(within(lane).getByText('completed')).toBeInTheDocument();
    expect(
      within(lane).getByText('Result: added one test'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Approval requested: write-back on pull request/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Phase Waiting')).toBeInTheDocument();
  });

  it('says how the live connection is doing and offers to reconnect', async () => {
    const reconnect = jest.fn();
    const { rerender } = await renderInTestApp(
      <RunTranscript state={stateOf(SCRIPTED_RUN.slice(0, 2))} />,
    );
    expect(
      screen.getByLabelText('Transcript connection: connected'),
    ).toHaveTextContent('Live');

    rerender(
      <RunTranscript
        state={stateOf(SCRIPTED_RUN.slice(0, 2), {
          connection: 'disconnected',
          error: new Error('Failed to fetch'),
          failures: 4,
          reconnect,
        })}
      />,
    );
    expect(
      screen.getByLabelText('Transcript connection: disconnected'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /through event 2 · what is shown may be out of date · Failed to fetch \(4 failures\)/,
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    expect(reconnect).toHaveBeenCalled();

    rerender(
      <RunTranscript
        state={stateOf([], { connection: 'connected', mode: 'poll' })}
      />,
    );
    expect(
      screen.getByLabelText('Transcript connection: connected'),
    ).toHaveTextContent('Live (polling)');
    expect(screen.getByText(/No events yet/)).toBeInTheDocument();
  });
});
