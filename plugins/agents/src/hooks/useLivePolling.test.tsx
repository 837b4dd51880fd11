import { signalApiRef } from '@backstage/plugin-signals-react';
import { TestApiProvider } from '@backstage/test-utils';
import { AGENTS_SIGNAL_CHANNEL } from '@krate/plugin-agents-common';
import { renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { FakeSignalApi } from '../__testUtils__/FakeSignalApi';
import { useLivePolling } from './useLivePolling';

function render(intervalMs: number, signals?: FakeSignalApi) {
  let count = 0;
  const load = jest.fn(async () => ++count);
  const wrapper = ({ children }: { children: ReactNode }) =>
    signals ? (
      <TestApiProvider apis={[[signalApiRef, signals]]}>
        {children}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[]}>{children}</TestApiProvider>
    );
  const hook = renderHook(
    () =>
      useLivePolling(load, [], {
        kinds: ['AgentWorkspace'],
        intervalMs,
        signalIntervalMs: 60_000,
      }),
    { wrapper },
  );
  return { load, hook };
}

describe('useLivePolling', () => {
  it('reads again on a signal and polls only slowly while signals deliver', async () => {
    const signals = new FakeSignalApi();
    const { hook } = render(20, signals);
    await waitFor(() => expect(hook.result.current.value).toBe(1));
    expect(hook.result.current.mode).toBe('signals');
    expect(hook.result.current.intervalMs).toBe(60_000);

    signals.publish(AGENTS_SIGNAL_CHANNEL, {
      kind: 'AgentWorkspace',
      namespace: 'acme',
      name: 'ws-1',
      type: 'ADDED',
    });
    await waitFor(() => expect(hook.result.current.value).toBe(2));
    hook.unmount();
  });

  it('polls at the given rate without signals', async () => {
    const { load, hook } = render(20);
    // Several reads without any signal: the interval drives them (how many depends on the load).
    await waitFor(() =>
      expect(load.mock.calls.length).toBeGreaterThanOrEqual(3),
    );
    expect(hook.result.current.mode).toBe('polling');
    expect(hook.result.current.intervalMs).toBe(20);
    hook.unmount();
  });
});
