import { isTerminal } from '../dispatch/names';
import { Request, Response } from 'express';
import { RunEventLog, RunRef } from '../database/RunEventLog';
import { ResourceStore } from '../resources/ResourceStore';

const PAGE = 1000;

/** Waits `ms`, or less when the function handed to `onWake` is called. */
function pause(ms: number, onWake: (wake: () => void) => void) {
  return new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    onWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Streams a run's events as server-sent events: `id:` the seq (so EventSource resumes with
 * Last-Event-ID after a reconnect), `event: run-event`, `data:` the event. History after
 * `sinceSeq` first, then live; when the run has ended and every event is out, an `end` event
 * closes the stream.
 */
export async function streamRunEvents(
  req: Request,
  res: Response,
  options: {
    events: RunEventLog;
    store: ResourceStore;
    ref: RunRef;
    sinceSeq: number;
    heartbeatMs?: number;
    pollMs?: number;
  },
): Promise<void> {
  const { events, store, ref } = options;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();

  let closed = false;
  const waker: { wake?: () => void } = {};
  req.on('close', () => {
    closed = true;
    waker.wake?.();
  });
  let appended = false;
  const unsubscribe = events.onAppended(ref, () => {
    appended = true;
    waker.wake?.();
  });

  let seq = options.sinceSeq;
  let lastWrite = Date.now();
  try {
    while (!closed) {
      appended = false;
      const page = await events.read(ref, { sinceSeq: seq, limit: PAGE });
      if (page.length > 0) {
        res.write(
          page
            .map(
              event =>
                `id: ${event.seq}\nevent: run-event\ndata: ${JSON.stringify(
                  event,
                )}\n\n`,
            )
            .join(''),
        );
        seq = page[page.length - 1].seq;
        lastWrite = Date.now();
        if (page.length === PAGE) {
          continue;
        }
      }
      const run = await store.get('AgentDispatchRun', ref.namespace, ref.run);
      if (!run || isTerminal(run.status?.phase)) {
        // The last events may have landed between the read and the phase check.
        const rest = await events.read(ref, { sinceSeq: seq, limit: PAGE });
        if (rest.length === 0) {
          res.write(
            `event: end\ndata: ${JSON.stringify({
              lastSeq: seq,
              phase: run?.status?.phase ?? null,
            })}\n\n`,
          );
          break;
        }
        continue;
      }
      if (Date.now() - lastWrite >= (options.heartbeatMs ?? 15_000)) {
        res.write(`: heartbeat ${seq}\n\n`);
        lastWrite = Date.now();
      }
      if (appended) {
        appended = false;
        continue;
      }
      // Appends by other backend instances are not announced here: poll too.
      await pause(options.pollMs ?? 1_000, done => {
        waker.wake = done;
      });
      waker.wake = undefined;
    }
  } finally {
    unsubscribe();
    res.end();
  }
}
