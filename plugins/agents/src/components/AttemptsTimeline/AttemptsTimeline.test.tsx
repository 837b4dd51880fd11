import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { attemptFixture } from '../../__testUtils__/fixtures';
import { AttemptsTimeline } from './AttemptsTimeline';

describe('AttemptsTimeline', () => {
  it('shows a completed attempt as completed once', async () => {
    await renderInTestApp(
      <AttemptsTimeline
        currentAttempt="run-1-1"
        attempts={[
          attemptFixture('run-1-1', 'run-1', {
            status: {
              phase: 'Succeeded',
              reason: 'Completed',
              message: 'Completed',
            },
          }),
        ]}
      />,
    );
    expect(screen.getByLabelText('Phase Succeeded')).toBeInTheDocument();
    expect(screen.getAllByText('Completed')).toHaveLength(1);
  });

  it('lists attempts oldest first with kind, phase, reason and the attempt each one follows', async () => {
    await renderInTestApp(
      <AttemptsTimeline
        currentAttempt="run-1-2"
        attempts={[
          {
            ...attemptFixture('run-1-2', 'run-1', {
              spec: { kind: 'retry', previousAttempt: 'run-1-1' },
              status: { phase: 'Running', reason: 'SessionBindingPending' },
            }),
            metadata: {
              name: 'run-1-2',
              namespace: 'acme',
              creationTimestamp: '2026-01-01T10:05:00.000Z',
            },
          },
          attemptFixture('run-1-1', 'run-1', {
            status: {
              phase: 'Failed',
              reason: 'PolicyDenied',
              message: 'Write on src/x was denied',
              startTime: '2026-01-01T10:00:00.000Z',
              completionTime: '2026-01-01T10:00:05.000Z',
            },
          }),
        ]}
      />,
    );
    const items = within(
      screen.getByRole('list', { name: 'Attempts' }),
    ).getAllByRole('listitem');
    expect(items.map(i => i.getAttribute('aria-label'))).toEqual([
      'Attempt run-1-1',
      'Attempt run-1-2',
    ]);
    expect(within(items[0]).getByText('PolicyDenied')).toBeInTheDocument();
    expect(
      within(items[0]).getByText('Write on src/x was denied'),
    ).toBeInTheDocument();
    expect(within(items[0]).getByText(/5s/)).toBeInTheDocument();
    expect(
      within(items[1]).getByText('SessionBindingPending'),
    ).toBeInTheDocument();
    expect(
      within(items[1]).getByRole('link', { name: 'run-1-1' }),
    ).toHaveAttribute('href', '#attempt-run-1-1');
  });

  it('says when no attempt has started', async () => {
    await renderInTestApp(<AttemptsTimeline attempts={[]} />);
    expect(screen.getByText('No attempt has started yet.')).toBeInTheDocument();
  });
});
