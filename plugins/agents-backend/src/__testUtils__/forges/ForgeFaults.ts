/**
 * What a forge double does wrong on purpose:
 * - `secondary-rate-limit`: GitHub's 403 "You have exceeded a secondary rate limit" (with
 *   `retry-after`);
 * - `rate-limit`: 429 Too Many Requests (with `retry-after`, or `x-ratelimit-reset` when
 *   `rateLimitResetSeconds` is set);
 * - `server-error`: 500;
 * - `crash-after-create`: handles the request (the pull request or comment is created) and then
 *   destroys the socket without answering, like a server or proxy dying mid-response;
 * - `interleave`: runs `run` (and waits for it) just before handling the request: another
 *   client's write landing between a target's lookup and its create.
 */
export type ForgeFaultKind =
  | 'secondary-rate-limit'
  | 'rate-limit'
  | 'server-error'
  | 'crash-after-create'
  | 'interleave';

/** One injected fault and the requests it applies to. */
export interface ForgeFault {
  kind: ForgeFaultKind;
  /** Only requests with this method (default: any). */
  method?: string;
  /** Only requests whose path (no query) equals this string or matches this pattern. */
  path?: string | RegExp;
  /** How many matching requests it hits (default 1). */
  times?: number;
  retryAfterSeconds?: number;
  /** `rate-limit`: answer `x-ratelimit-reset` this many seconds from now instead of `retry-after`. */
  rateLimitResetSeconds?: number;
  /** `interleave`: the other client's write. */
  run?: () => unknown;
}

/** The faults a forge double has yet to play, first match first. */
export class ForgeFaults {
  readonly #pending: (ForgeFault & { left: number })[] = [];

  inject(fault: ForgeFault) {
    this.#pending.push({ ...fault, left: fault.times ?? 1 });
  }

  clear() {
    this.#pending.length = 0;
  }

  /** Takes the first fault that applies to this request, if any. */
  take(method: string, path: string): ForgeFault | undefined {
    const index = this.#pending.findIndex(
      fault =>
        (!fault.method || fault.method === method) &&
        (fault.path === undefined ||
          (typeof fault.path === 'string'
            ? fault.path === path
            : fault.path.test(path))),
    );
    if (index < 0) {
      return undefined;
    }
    const fault = this.#pending[index];
    fault.left -= 1;
    if (fault.left <= 0) {
      this.#pending.splice(index, 1);
    }
    return fault;
  }
}
