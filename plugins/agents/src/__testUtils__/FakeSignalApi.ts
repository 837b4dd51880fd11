import { SignalApi } from '@backstage/plugin-signals-react';
import { act } from '@testing-library/react';

type JsonObject = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

/** A signals API the test publishes on, as the backend would over its WebSocket. */
export class FakeSignalApi implements SignalApi {
  private readonly subscribers = new Map<
    string,
    Set<(message: JsonObject) => void>
  >();

  subscribe<TMessage extends JsonObject = JsonObject>(
    channel: string,
    onMessage: (message: TMessage) => void,
  ) {
    const listeners = this.subscribers.get(channel) ?? new Set();
    const listener = onMessage as (message: JsonObject) => void;
    listeners.add(listener);
    this.subscribers.set(channel, listeners);
    return { unsubscribe: () => listeners.delete(listener) };
  }

  /** Delivers one message to every subscriber of the channel, each as its own event. */
  publish(channel: string, message: JsonObject) {
    for (const listener of this.subscribers.get(channel) ?? []) {
      act(() => listener({ ...message }));
    }
  }

  /** Delivers several messages in one task, as a WebSocket does with frames that arrive together. */
  publishTogether(channel: string, messages: JsonObject[]) {
    act(() => {
      for (const message of messages) {
        for (const listener of this.subscribers.get(channel) ?? []) {
          listener({ ...message });
        }
      }
    });
  }

  subscriberCount(channel: string) {
    return this.subscribers.get(channel)?.size ?? 0;
  }
}
