import { InputError } from '@backstage/errors';
import { NextFunction, Request, Response } from 'express';

/**
 * Refuses a NUL character anywhere in the URL with a 400: PostgreSQL text cannot hold one, and a
 * query carrying it would fail as a 500. Bodies are checked as they are read (input/readBody).
 */
export function rejectNulInUrl(
  req: Request,
  _res: Response,
  next: NextFunction,
) {
  if (/%00/i.test(req.originalUrl)) {
    throw new InputError('url: must not contain NUL characters (%00)');
  }
  next();
}
