import { signalApiRef } from '@backstage/plugin-signals-react';
import { TestApiProvider } from '@backstage/test-utils';
import { AGENTS_SIGNAL_CHANNEL } from '@krate/plugin-agents-common';
import { renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { FakeSignalApi } from '../__testUtils__/FakeSignalApi';
import { isObject, LiveRefreshFilter, useLiveRefresh } from './useLiveRefresh';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function render(filter: LiveRefreshFilter, signals?: FakeSignalApi) {
  const refresh = jest.fn();
  const wrapper = ({ children }: { children: ReactNode }) =>
    signals ? (
      <TestApiProvider apis={[[signalApiRef, signals]]}>
        {children}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[]}>{children}</TestApiProvider>
    );
  const hook = renderHook(() => useLiveRefresh(refresh, filter, 20), {
    wrapper,
  });
  return { refresh, hook };
}

const change = (kind: string, name: string, namespace = 'acme') => ({
  kind,
  namespace,
  name,
  type: 'MODIFIED',
});

describe('useLiveRefresh', () => {
  it('refreshes once per burst of matching signals and ignores the rest', async () => {
    const signals = new FakeSignalApi();
    const { refresh, hook } = render(
      { kinds: ['AgentDispatchRun'], matches: isObject('acme', 'run-1') },
      signals,
    );
    expect(hook.result.current.signalsAvailable).toBe(true);

    signals.publish(AGENTS_SIGNAL_CHANNEL, change('AgentDispatchRun', 'run-1'));
    signals.publish(AGENTS_SIGNAL_CHANNEL, change('AgentDispatchRun', 'run-1'));
    await waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));

    signals.publish(AGENTS_SIGNAL_CHANNEL, change('AgentDispatchRun', 'run-2'));
    signals.publish(AGENTS_SIGNAL_CHANNEL, change('AgentStack', 'run-1'));
    signals.publish(AGENTS_SIGNAL_CHANNEL, { unrelated: true });
    signals.publish('other:channel', change('AgentDispatchRun', 'run-1'));
    await sleep(80);
    expect(refresh).toHaveBeenCalledTimes(1);

    signals.publish(AGENTS_SIGNAL_CHANNEL, change('AgentDispatchRun', 'run-1'));
    await waitFor(() => expect(refresh).toHaveBeenCalledTimes(2));
  });

  it('sees a matching change in a burst even when another kind arrives last', async () => {
    const signals = new FakeSignalApi();
    const { refresh } = render({ kinds: ['AgentDispatchRun'] }, signals);
    // What the backend sends for a dispatched run: run, attempt and approval in one go.
    signals.publishTogether(AGENTS_SIGNAL_CHANNEL, [
      change('AgentDispatchRun', 'run-1'),
      change('AgentDispatchAttempt', 'run-1-1'),
      change('AgentApproval', 'run-1-ap-1'),
    ]);
    await waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
  });

  it('unsubscribes when unmounted', async () => {
    const signals = new FakeSignalApi();
    const { hook } = render({ kinds: ['AgentStack'] }, signals);
    expect(signals.subscriberCount(AGENTS_SIGNAL_CHANNEL)).toBe(1);
    hook.unmount();
    expect(signals.subscriberCount(AGENTS_SIGNAL_CHANNEL)).toBe(0);
  });

  it('works without a signals API and says signals are unavailable', async () => {
    const { refresh, hook } = render({ kinds: ['AgentStack'] });
    expect(hook.result.current.signalsAvailable).toBe(false);
    await sleep(50);
    expect(refresh).not.toHaveBeenCalled();
  });
});
