import { InputError } from '@backstage/errors';

/** Continue tokens are opaque to clients: the kind they belong to and the last key seen. */
export function encodeContinueToken(
  kind: string,
  key: (string | number)[],
): string {
  return Buffer.from(JSON.stringify({ k: kind, after: key })).toString(
    'base64url',
  );
}

export function decodeContinueToken(
  token: string,
  kind: string,
): (string | number)[] {
  try {
    const decoded = JSON.parse(
      Buffer.from(token, 'base64url').toString('utf8'),
    );
    if (
      decoded.k === kind &&
      Array.isArray(decoded.after) &&
      decoded.after.length === 2 &&
      decoded.after.every(
        (v: unknown) => typeof v === 'string' || typeof v === 'number',
      )
    ) {
      return decoded.after;
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError('continue: invalid continue token for this list');
}
