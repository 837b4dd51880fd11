import { InputError } from '@backstage/errors';
import { nulCharacterPath } from '@krate/plugin-agents-common';
import { NextFunction, Request, Response } from 'express';

/**
 * Refuses a NUL character anywhere in the URL or the body with a 400 naming where it is:
 * PostgreSQL text cannot hold one, and a query or write carrying it would fail as a 500.
 */
export function rejectNulCharacters(
  req: Request,
  _res: Response,
  next: NextFunction,
) {
  if (/%00/i.test(req.originalUrl)) {
    throw new InputError('url: must not contain NUL characters (%00)');
  }
  // A YAML body is still text here; its documents are checked again once parsed.
  const at = nulCharacterPath(req.body);
  if (at !== undefined) {
    throw new InputError(
      `${at ? `body.${at}` : 'body'}: must not contain NUL characters`,
    );
  }
  next();
}
