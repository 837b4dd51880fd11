import path from 'node:path';

const NETWORK_URL = /^(https?|ssh|git):\/\/[^\s]+$/i;
const SCP_LIKE = /^[\w.-]+@[\w.-]+:[^\s]+$/;

/**
 * A clone URL from configuration: `https://`, `http://`, `ssh://`, `git://`, `file://`,
 * `user@host:path`, or a local path (relative paths resolve against the working directory).
 * Anything else — transports like `ext::` that run commands, or text git would take as an
 * option — is refused.
 */
export function parseCloneUrl(value: string): string | undefined {
  const url = value.trim();
  if (url === '' || url.startsWith('-') || url.includes('::')) {
    return undefined;
  }
  if (NETWORK_URL.test(url) || SCP_LIKE.test(url)) {
    return url;
  }
  if (url.startsWith('file://')) {
    return url;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    return undefined;
  }
  return path.resolve(url);
}

/** Whether a clone URL names a repository on this host (a path or `file://`). */
export function isLocalUrl(url: string): boolean {
  return path.isAbsolute(url) || url.startsWith('file://');
}

/** The local path of a local clone URL. */
export function localPath(url: string): string {
  return url.startsWith('file://') ? decodeURI(new URL(url).pathname) : url;
}

/**
 * The clone URL behind a catalog entity's `backstage.io/source-location`: `url:<web URL of a
 * folder in the repository>` (GitHub, GitLab, Bitbucket and Azure DevOps spellings), or
 * `dir:`/`file:` with an absolute local path. The branch in the web URL, if any, comes along.
 */
export function cloneUrlFromSourceLocation(
  location: string,
): { url: string; branch?: string } | undefined {
  const match = /^(url|dir|file):(.+)$/.exec(location.trim());
  if (!match) {
    return undefined;
  }
  const [, type, target] = match;
  if (type !== 'url') {
    return path.isAbsolute(target) ? { url: path.resolve(target) } : undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(target);
  } catch {
    return undefined;
  }
  if (parsed.protocol === 'file:') {
    return { url: path.resolve(decodeURI(parsed.pathname)) };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return undefined;
  }
  const azureBranch = /^GB(.+)$/.exec(
    parsed.searchParams.get('version') ?? '',
  )?.[1];
  const segments = parsed.pathname.split('/');
  // The first of `/-/tree/<branch>`, `/tree/<branch>`, `/blob/<branch>`, `/src/<branch>` after
  // `/<owner>/<repository>` ends the repository's part of the path.
  const at = segments.findIndex(
    (segment, index) =>
      index >= 3 && ['-', 'tree', 'blob', 'src'].includes(segment),
  );
  if (at > 0) {
    const branch = segments[at + (segments[at] === '-' ? 2 : 1)];
    parsed.pathname = segments.slice(0, at).join('/');
    return finish(parsed, branch || undefined);
  }
  return finish(parsed, azureBranch);
}

function finish(url: URL, branch: string | undefined) {
  url.search = '';
  url.hash = '';
  const text = url.toString().replace(/\/+$/, '');
  return {
    url: text,
    ...(branch ? { branch: decodeURIComponent(branch) } : {}),
  };
}

/** Hides the user info of URLs in a message: a clone URL may carry a token. */
export function redactUrls(message: string): string {
  return message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
}
