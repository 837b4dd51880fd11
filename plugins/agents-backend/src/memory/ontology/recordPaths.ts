import { posix } from 'node:path';

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const MARKDOWN_FILE = /\.md$/i;

/** A repository path with `/` separators, no `.` or `..` steps and no leading `./`. */
export function normalizeRecordPath(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '');
}

/** A record's default id: its path without `.md`, such as `services/payments-api`. */
export function recordIdOf(path: string): string {
  return normalizeRecordPath(path).replace(MARKDOWN_FILE, '');
}

function decoded(target: string): string | undefined {
  try {
    return decodeURI(target);
  } catch {
    return undefined;
  }
}

/**
 * The id of the record a Markdown link in `fromPath` points to, or undefined when the link is not
 * to a `.md` file of the repository: an absolute URL, a path above the repository root, an
 * image. A link starting with `/` is from the repository root, as Git forges render it.
 */
export function linkedRecordId(
  fromPath: string,
  target: string,
): string | undefined {
  if (URL_SCHEME.test(target) || target.startsWith('//')) return undefined;
  const path = decoded(target.split(/[?#]/, 1)[0]);
  if (!path || !MARKDOWN_FILE.test(path)) return undefined;
  const joined = path.startsWith('/')
    ? path.slice(1)
    : posix.join(posix.dirname(fromPath), path);
  const normalized = normalizeRecordPath(joined);
  if (normalized === '..' || normalized.startsWith('../')) return undefined;
  if (posix.isAbsolute(normalized)) return undefined;
  return recordIdOf(normalized);
}
