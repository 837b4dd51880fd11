import { ForgeAuthentication } from './forgeServer';

/**
 * Reads an `Authorization` header the way GitHub and Gitea do: `token X`, `Bearer X` (any case)
 * or `Basic base64(user:X)`. `verify` answers the login a secret (and basic user name) is.
 */
export function authenticateHeader(
  authorization: string | undefined,
  verify: (secret: string, username?: string) => string | undefined,
): ForgeAuthentication {
  if (!authorization) {
    return { anonymous: true };
  }
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  let user: string | undefined;
  switch (scheme.toLowerCase()) {
    case 'token':
    case 'bearer':
      user = verify(value);
      break;
    case 'basic': {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      user =
        colon < 0
          ? undefined
          : verify(decoded.slice(colon + 1), decoded.slice(0, colon));
      break;
    }
    default:
      user = undefined;
  }
  return user ? { user } : { invalid: true };
}
