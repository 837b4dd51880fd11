/** One answer of `git cat-file --batch`; undefined for a name that is missing or ambiguous. */
export type BatchObject =
  | { id: string; type: string; content: Buffer }
  | undefined;

const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) ([a-z]+) (\d+)$/;

/**
 * Parses the output of `git cat-file --batch`: per input line either `<id> <type> <size>\n`
 * followed by `size` bytes and `\n`, or a single `<name> missing\n` (or `ambiguous`) line.
 */
export function parseCatFileBatch(output: Buffer): BatchObject[] {
  const objects: BatchObject[] = [];
  let position = 0;
  while (position < output.length) {
    const end = output.indexOf(0x0a, position);
    if (end < 0) {
      throw new Error('git cat-file --batch: truncated header');
    }
    const header = HEADER.exec(output.toString('utf8', position, end));
    position = end + 1;
    if (!header) {
      objects.push(undefined);
      continue;
    }
    const size = Number(header[3]);
    if (position + size + 1 > output.length) {
      throw new Error('git cat-file --batch: truncated content');
    }
    objects.push({
      id: header[1],
      type: header[2],
      content: output.subarray(position, position + size),
    });
    // The content is followed by a newline of its own.
    position += size + 1;
  }
  return objects;
}
