import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { FakeRunEventLog } from '../__testUtils__/FakeRunEventLog';
import { agentsApiRef } from '../api';
import { RunEventsOptions, useRunEvents } from './useRunEvents';

function renderWith(log: FakeRunEventLog, options: RunEventsOptions = {}) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[agentsApiRef, log.api]]}>
      {children}
    </TestApiProvider>
  );
  return renderHook(
    (props: RunEventsOptions) =>
      useRunEvents('run-1', { backoffMs: () => 10, ...props }),
    { wrapper, initialProps: options },
  );
}

const text = (t: string) => ({ type: 'text' as const, text: t });
const seqs = (events: { seq: number }[]) => events.map(e => e.seq);

describe('useRunEvents', () => {
  it('shows the history, then live events, and completes with the run', async () => {
    const log = new FakeRunEventLog();
    log.append(text('one'), text('two'));
    const { result, unmount } = renderWith(log);

    await waitFor(() => expect(seqs(result.current.events)).toEqual([1, 2]));
    expect(result.current.connection).toBe('connected');
    expect(result.current.mode).toBe('stream');

    act(() => log.append(text('three')));
    await waitFor(() => expect(result.current.lastSeq).toBe(3));
    expect(result.current.connection).toBe('connected');

    act(() => log.finish('Succeeded'));
    await waitFor(() => expect(result.current.connection).toBe('complete'));
    expect(result.current.endPhase).toBe('Succeeded');
    expect(log.streamRequests).toEqual([0]);
    unmount();
  });

  it('reconnects after a drop and resumes from the last seq seen', async () => {
    const log = new FakeRunEventLog();
    log.append(text('one'), text('two'));
    const { result, unmount } = renderWith(log, { backoffMs: () => 300 });
    await waitFor(() => expect(result.current.lastSeq).toBe(2));

    log.refuseConnections(1);
    act(() => log.drop());
    await waitFor(() => expect(result.current.connection).toBe('reconnecting'));
    expect(result.current.error?.message).toMatch(/network error|closed/);
    expect(seqs(result.current.events)).toEqual([1, 2]);

    act(() => log.append(text('three')));
    await waitFor(() => expect(result.current.connection).toBe('connected'));
    await waitFor(() => expect(seqs(result.current.events)).toEqual([1, 2, 3]));
    expect(log.streamRequests).toEqual([0, 2, 2]);
    unmount();
  });

  it('says disconnected after repeated failures and reconnects on demand', async () => {
    const log = new FakeRunEventLog();
    log.append(text('one'));
    log.refuseConnections(1000, new Error('backend unreachable'));
    const { result, unmount } = renderWith(log, { maxFailures: 3 });

    await waitFor(() => expect(result.current.connection).toBe('disconnected'));
    expect(result.current.error?.message).toBe('backend unreachable');
    expect(result.current.failures).toBeGreaterThanOrEqual(3);

    log.refuseConnections(0);
    act(() => result.current.reconnect());
    await waitFor(() => expect(result.current.lastSeq).toBe(1));
    expect(['connected', 'complete']).toContain(result.current.connection);
    unmount();
  });

  it('falls back to polling the JSON log when streaming keeps failing', async () => {
    const log = new FakeRunEventLog();
    log.disableStreaming();
    log.append(text('one'));
    const { result, rerender, unmount } = renderWith(log, {
      pollIntervalMs: 20,
    });

    await waitFor(() => expect(result.current.mode).toBe('poll'));
    await waitFor(() => expect(result.current.lastSeq).toBe(1));
    expect(log.streamRequests).toEqual([0, 0]);

    act(() => log.append(text('two')));
    await waitFor(() => expect(result.current.lastSeq).toBe(2));
    expect(result.current.connection).toBe('connected');
    expect(log.pageRequests).toContain(1);

    rerender({ pollIntervalMs: 20, finished: true });
    await waitFor(() => expect(result.current.connection).toBe('complete'));
    unmount();
  });

  it('marks a silent stream stale and live again when data flows', async () => {
    const log = new FakeRunEventLog();
    log.append(text('one'));
    const { result, unmount } = renderWith(log, { staleAfterMs: 60 });
    await waitFor(() => expect(result.current.lastSeq).toBe(1));

    await waitFor(() => expect(result.current.connection).toBe('stale'));
    act(() => log.append(text('two')));
    await waitFor(() => expect(result.current.connection).toBe('connected'));
    await waitFor(() => expect(result.current.lastSeq).toBe(2));
    unmount();
  });
});
