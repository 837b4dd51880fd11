import { InputError } from '@backstage/errors';

/** Parameter names that carry credentials: a surface link must never hold one. */
const SECRET_PARAM =
  /token|secret|key|passw(or)?d|pwd|sig(nature)?|auth|credential|session|code/i;

/**
 * The URL of a runtime surface, refused (InputError naming `field`) unless it is an http(s) link
 * without credentials: no user or password, and no query or fragment parameter whose name looks
 * like a token, secret, key, password or signature. Surfaces are metadata the UI shows to
 * everyone who may read the workspace.
 */
export function surfaceUrl(raw: string, field = 'url'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${field}: must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      `${field}: must be an http or https URL, not ${url.protocol.replace(
        /:$/,
        '',
      )}`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      `${field}: must not hold a user name or password; surfaces are links, never credentials`,
    );
  }
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  const secret = [...url.searchParams.keys(), ...fragment.keys()].find(name =>
    SECRET_PARAM.test(name),
  );
  if (secret !== undefined) {
    throw new InputError(
      `${field}: must not carry '${secret}', which looks like a credential; surfaces are links, never credentials`,
    );
  }
  return url.toString();
}
