import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { NextFunction, Request, Response } from 'express';

/** The Backstage errors whose message is written for the caller, by status. */
const CALLER_ERRORS: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  MethodNotAllowedError: 405,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/** What the HTTP layer (body-parser, express) reports, in the words of this API. */
function transportError(
  error: unknown,
): { status: number; message: string } | undefined {
  const { type, status, expose } = (error ?? {}) as {
    type?: string;
    status?: unknown;
    expose?: boolean;
  };
  if (type === 'entity.too.large') {
    return { status: 413, message: 'body: larger than the 1 MB limit' };
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return { status: 415, message: 'body: send it as UTF-8, not compressed' };
  }
  if (error instanceof URIError) {
    return { status: 400, message: 'url: malformed percent-encoding' };
  }
  // http-errors from the body parser expose theirs; a client library's error that carries a
  // status (a forge answering 404) is about another server, not this request.
  if (expose && typeof status === 'number' && status >= 400 && status < 500) {
    return { status, message: `request: ${(error as Error).message}` };
  }
  return undefined;
}

/**
 * The plugin's error responses, in Backstage's error body shape. Errors meant for the caller keep
 * their message; anything else is logged with a reference and answered 500 with the reference
 * only — no stack trace, file path or library message ever reaches a response.
 */
export function errorResponses(logger: LoggerService) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    let status: number;
    let name: string;
    let message: string;
    const known =
      isError(error) && CALLER_ERRORS[error.name] ? error : undefined;
    const transport = known ? undefined : transportError(error);
    if (known) {
      status = CALLER_ERRORS[known.name];
      name = known.name;
      message = known.message;
    } else if (transport) {
      ({ status, message } = transport);
      name = status === 400 ? 'InputError' : 'Error';
    } else {
      const reference = randomUUID();
      logger.error(
        `${req.method} ${req.originalUrl} failed (reference ${reference})`,
        isError(error) ? error : { error: String(error) },
      );
      status = 500;
      name = 'Error';
      message = `internal error (reference ${reference}; the backend log has the details)`;
    }
    res.status(status).json({
      error: { name, message },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: status },
    });
  };
}
