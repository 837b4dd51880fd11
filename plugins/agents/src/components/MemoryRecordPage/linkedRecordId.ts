const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const MARKDOWN_FILE = /\.md$/i;

/** Joins and normalizes `/`-separated steps; undefined when they climb above the root. */
function normalize(steps: string[]): string | undefined {
  const kept: string[] = [];
  for (const step of steps) {
    if (step === '' || step === '.') continue;
    if (step === '..') {
      if (!kept.length) return undefined;
      kept.pop();
    } else {
      kept.push(step);
    }
  }
  return kept.join('/');
}

/**
 * The id of the memory record a Markdown link in the record at `fromPath` points to, as the
 * backend derives record links: relative to the record's folder, `/` from the repository root,
 * only `.md` targets inside the repository. Anything else (a URL, an image, an anchor) is not a
 * record.
 */
export function linkedRecordId(
  fromPath: string,
  href: string,
): { id: string; fragment?: string } | undefined {
  if (URL_SCHEME.test(href) || href.startsWith('//')) return undefined;
  const [target, fragment] = href.split('#', 2);
  let path: string;
  try {
    path = decodeURI(target.split('?', 1)[0]);
  } catch {
    return undefined;
  }
  if (!MARKDOWN_FILE.test(path)) return undefined;
  const folder = fromPath.split('/').slice(0, -1);
  const steps = path.startsWith('/')
    ? path.split('/')
    : [...folder, ...path.split('/')];
  const normalized = normalize(steps);
  if (!normalized) return undefined;
  return {
    id: normalized.replace(MARKDOWN_FILE, ''),
    ...(fragment ? { fragment } : {}),
  };
}
