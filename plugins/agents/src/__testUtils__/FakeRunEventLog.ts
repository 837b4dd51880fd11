import { RunEvent, RunEventPayload } from '@krate/plugin-agents-common';
import { AgentsApi } from '../api';

/**
 * An in-memory run event log answering `streamRunEvents` and `getRunEvents` the way the backend
 * does (runEventStream.ts): history after `sinceSeq`, then live appends, then an `end` event once
 * the run has finished and everything was sent. Tests append events, finish the run, drop open
 * connections or refuse new ones.
 */
export class FakeRunEventLog {
  readonly events: RunEvent[] = [];
  /** `sinceSeq` of every stream request, in order. */
  readonly streamRequests: number[] = [];
  /** `sinceSeq` of every JSON page request, in order. */
  readonly pageRequests: number[] = [];
  private phase?: string;
  private wakers = new Set<() => void>();
  private refuse = 0;
  private refuseError = new Error('network error');
  private dropping = false;
  private streamsWork = true;

  constructor(private attempt = 'run-1-1') {}

  /** A retry, resume, fork or continue: the run is active again and events name the new attempt. */
  startAttempt(attempt: string) {
    this.attempt = attempt;
    this.phase = undefined;
  }

  append(...payloads: RunEventPayload[]) {
    for (const payload of payloads) {
      this.events.push({
        ...payload,
        seq: this.events.length + 1,
        attempt: this.attempt,
        time: new Date().toISOString(),
      } as RunEvent);
    }
    this.wake();
  }

  finish(phase: string) {
    this.phase = phase;
    this.wake();
  }

  /** Closes every open stream without an end event, as a dropped connection does. */
  drop() {
    this.dropping = true;
    this.wake();
  }

  /** Refuses the next `count` connections (stream or page) with `error`. */
  refuseConnections(count: number, error = new Error('network error')) {
    this.refuse = count;
    this.refuseError = error;
  }

  /** Makes every stream request fail, as behind a proxy that cannot stream. */
  disableStreaming() {
    this.streamsWork = false;
  }

  get openStreams() {
    return this.wakers.size;
  }

  readonly api: Pick<AgentsApi, 'streamRunEvents' | 'getRunEvents'> = {
    streamRunEvents: async (_name, options) => {
      this.streamRequests.push(options.sinceSeq);
      this.admit();
      if (!this.streamsWork) {
        throw new Error('This browser cannot read a streamed response');
      }
      options.onOpen?.();
      let seq = options.sinceSeq;
      for (;;) {
        if (options.signal?.aborted) {
          throw Object.assign(new Error('aborted'), { name: 'AbortError' });
        }
        if (this.dropping) {
          this.dropping = false;
          return undefined;
        }
        const fresh = this.after(seq);
        for (const event of fresh) {
          options.onActivity?.();
          options.onEvent(event);
          seq = event.seq;
        }
        if (this.phase && fresh.length === 0) {
          options.onActivity?.();
          return { lastSeq: seq, phase: this.phase };
        }
        if (fresh.length === 0) {
          await this.nextChange(options.signal);
        }
      }
    },
    getRunEvents: async (_name, options) => {
      this.pageRequests.push(options.sinceSeq);
      this.admit();
      const limit = options.limit ?? 1000;
      const after = this.events.filter(e => e.seq > options.sinceSeq);
      const items = after.slice(0, limit);
      return {
        items,
        lastSeq: this.events.length,
        ...(after.length > limit
          ? { nextSinceSeq: items[items.length - 1].seq }
          : {}),
      };
    },
  };

  private after(seq: number) {
    return this.events.filter(e => e.seq > seq);
  }

  private admit() {
    if (this.refuse > 0) {
      this.refuse--;
      throw this.refuseError;
    }
  }

  private wake() {
    const wakers = [...this.wakers];
    this.wakers.clear();
    wakers.forEach(wake => wake());
  }

  private nextChange(signal?: AbortSignal) {
    return new Promise<void>(resolve => {
      this.wakers.add(resolve);
      signal?.addEventListener('abort', () => {
        this.wakers.delete(resolve);
        resolve();
      });
    });
  }
}
