import { ApiException } from '@kubernetes/client-node';

/** The HTTP status of a failed client-node call, undefined for network errors and the like. */
export function apiStatusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** The API server's own message (its Status body), else the error's message. */
export function apiMessageOf(error: unknown): string {
  if (error instanceof ApiException) {
    try {
      const status =
        typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
      if (status?.message) return String(status.message);
    } catch {
      // Not JSON: fall through to the code.
    }
    return `the API server answered ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}
