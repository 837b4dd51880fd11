/** How often and how long the backend waits on runner pods. */
export interface PodTiming {
  /** Between two reads of the pod while it starts or its log is followed; default 1 s. */
  pollMs: number;
  /** How long a pod may wait to start (scheduling, image pull) before it counts as failed. */
  pendingTimeoutMs: number;
  /** Between two checkpoints of the events read so far; default 1 s. */
  checkpointMs: number;
  /** How long the log stream may take to end once the container has; default 2 s. */
  drainMs: number;
  /** The longest wait before following a broken log stream again; default 10 s. */
  maxBackoffMs: number;
}

export const DEFAULT_POD_TIMING: PodTiming = {
  pollMs: 1_000,
  pendingTimeoutMs: 5 * 60_000,
  checkpointMs: 1_000,
  drainMs: 2_000,
  maxBackoffMs: 10_000,
};

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
