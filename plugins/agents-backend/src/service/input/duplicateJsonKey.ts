type Container =
  | { kind: 'array'; path: string; index: number }
  | { kind: 'object'; path: string; keys: Set<string>; key?: string };

function pathOf(container: Container | undefined): string {
  if (!container) return '';
  if (container.kind === 'array') {
    return `${container.path}[${container.index}]`;
  }
  const key = container.key ?? '';
  return container.path ? `${container.path}.${key}` : key;
}

/** Where a string that starts at `start` (its opening quote) ends, just past its closing quote. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/**
 * The first key that appears twice in one object of a JSON text, as `{ path, key }`, or
 * undefined. `JSON.parse` keeps the last of duplicate keys silently, so a body whose reader and
 * writer disagree on which one counts is refused instead. Call it on text `JSON.parse` accepted;
 * it scans once, without recursion.
 */
export function duplicateJsonKey(
  text: string,
): { path: string; key: string } | undefined {
  const open: Container[] = [];
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const current = open[open.length - 1];
    if (char === '"') {
      const end = endOfString(text, i);
      if (expectingKey && current?.kind === 'object') {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (current.keys.has(key)) return { path: current.path, key };
        current.keys.add(key);
        current.key = key;
        expectingKey = false;
      }
      i = end - 1;
    } else if (char === '{' || char === '[') {
      const path = pathOf(current);
      open.push(
        char === '{'
          ? { kind: 'object', path, keys: new Set() }
          : { kind: 'array', path, index: 0 },
      );
      expectingKey = char === '{';
    } else if (char === '}' || char === ']') {
      open.pop();
    } else if (char === ',') {
      if (current?.kind === 'array') current.index++;
      expectingKey = current?.kind === 'object';
    }
  }
  return undefined;
}
