import { ResponseError } from '@backstage/errors';

/** What the server said about a refused request (its error message), or the error's own message. */
export function serverMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.body.error?.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP status of a refused request, when there was a response. */
export function statusOf(error: unknown): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}
