import { WriteBackError } from '@krate/plugin-agents-node';

/** How long to wait after a 429 that does not say. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** `Retry-After` in milliseconds: seconds or an HTTP date. */
export function retryAfterMs(value: string | null, now = Date.now()) {
  if (!value) {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000);
  }
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * A {@link WriteBackError} for Gitea's answer `status` to `what` on `repository`: 429 (from Gitea
 * or a proxy before it), 5xx and 408 are retryable, the rest are not. `detail` is Gitea's
 * `message`; the caller has cut secrets out of it.
 */
export function giteaWriteBackError(options: {
  status: number;
  headers: Headers;
  detail?: string;
  repository: string;
  what: string;
}): WriteBackError {
  const { status, headers, detail, repository, what } = options;
  const message = `Gitea answered ${status} for ${repository} ${what}${
    detail ? `: ${detail}` : ''
  }`;
  const retryAfter = retryAfterMs(headers.get('retry-after'));
  if (status === 429 || (status === 403 && retryAfter !== undefined)) {
    return new WriteBackError(message, {
      retryable: true,
      retryAfterMs: retryAfter ?? DEFAULT_RATE_LIMIT_WAIT_MS,
    });
  }
  return new WriteBackError(message, {
    retryable: status >= 500 || status === 408,
    retryAfterMs: status === 503 ? retryAfter : undefined,
  });
}
