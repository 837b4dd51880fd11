import { WriteBackError } from '@krate/plugin-agents-node';

/** GitHub's advice: wait at least a minute after a secondary rate limit without `retry-after`. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

type Headers = Record<string, string | number | undefined>;

interface OctokitLikeError {
  status?: number;
  message?: string;
  response?: { headers?: Headers; data?: unknown };
}

/**
 * How long GitHub asks a client to wait: `retry-after` (seconds or an HTTP date), else the
 * primary limit's `x-ratelimit-reset` once `x-ratelimit-remaining` is 0.
 */
export function githubRetryAfterMs(
  headers: Headers = {},
  now = Date.now(),
): number | undefined {
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined && retryAfter !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) {
      return Math.max(0, seconds * 1000);
    }
    const date = Date.parse(String(retryAfter));
    if (Number.isFinite(date)) {
      return Math.max(0, date - now);
    }
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (
    String(headers['x-ratelimit-remaining']) === '0' &&
    Number.isFinite(reset)
  ) {
    return Math.max(0, reset * 1000 - now);
  }
  return undefined;
}

interface GithubValidationError {
  message?: string;
  field?: string;
  code?: string;
}

function describeValidationError(error: string | GithubValidationError) {
  if (typeof error === 'string') {
    return error;
  }
  return (
    error?.message ?? [error?.field, error?.code].filter(Boolean).join(' ')
  );
}

/** GitHub's own words on what failed: its `message` and the `errors` of a validation failure. */
export function githubErrorDetail(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') {
    return undefined;
  }
  const { message, errors } = data as { message?: unknown; errors?: unknown };
  const details = Array.isArray(errors)
    ? errors.map(describeValidationError)
    : [];
  return [typeof message === 'string' ? message : undefined, ...details]
    .filter(Boolean)
    .join(': ');
}

function isRateLimited(status: number, headers: Headers, detail = '') {
  return (
    status === 429 ||
    (status === 403 &&
      (headers['retry-after'] !== undefined ||
        String(headers['x-ratelimit-remaining']) === '0' ||
        /rate limit/i.test(detail)))
  );
}

/**
 * Turns what Octokit threw while `what` was done on `repository` into a {@link WriteBackError}:
 * rate limits, 5xx and network failures are retryable (rate limits with the wait GitHub asks
 * for), everything else is not. `secrets` are cut out of the message, whatever GitHub echoed.
 */
export function githubWriteBackError(
  error: unknown,
  context: {
    repository: string;
    what: string;
    secrets: (string | undefined)[];
  },
): WriteBackError {
  const failure = error as OctokitLikeError;
  const status =
    typeof failure?.status === 'number' ? failure.status : undefined;
  const headers = failure?.response?.headers ?? {};
  const scrub = (text: string) =>
    context.secrets.reduce<string>(
      (clean, secret) => (secret ? clean.split(secret).join('***') : clean),
      text,
    );
  if (status === undefined || !failure.response) {
    const reason = failure?.message ?? String(error);
    return new WriteBackError(
      scrub(
        `Could not reach GitHub for ${context.repository} ${context.what}: ${reason}`,
      ),
      { retryable: true, cause: error },
    );
  }
  const detail = githubErrorDetail(failure.response.data);
  const message = scrub(
    `GitHub answered ${status} for ${context.repository} ${context.what}${
      detail ? `: ${detail}` : ''
    }`,
  );
  if (isRateLimited(status, headers, detail)) {
    return new WriteBackError(message, {
      retryable: true,
      retryAfterMs: githubRetryAfterMs(headers) ?? DEFAULT_RATE_LIMIT_WAIT_MS,
      cause: error,
    });
  }
  return new WriteBackError(message, {
    retryable: status >= 500 || status === 408,
    cause: error,
  });
}
