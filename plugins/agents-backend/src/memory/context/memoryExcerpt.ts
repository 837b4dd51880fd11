/** Lines either side of a matched line in a search excerpt. */
export const EXCERPT_CONTEXT_LINES = 3;
/** Largest record a run's context takes whole; longer ones are cut with a marker. */
export const MAX_RECORD_BYTES = 16 * 1024;

/** The matched line of a file with the lines around it, as the agent is given it. */
export function excerptOf(text: string, line: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const first = Math.max(1, line - EXCERPT_CONTEXT_LINES);
  const last = Math.min(lines.length, line + EXCERPT_CONTEXT_LINES);
  return lines.slice(first - 1, last).join('\n');
}

/** A record's file, cut at {@link MAX_RECORD_BYTES} with a marker saying so. */
export function recordTextOf(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= MAX_RECORD_BYTES) return text;
  // A cut inside a multi-byte character decodes to U+FFFD; drop it rather than show it.
  const cut = bytes
    .subarray(0, MAX_RECORD_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${cut}\n… (cut at ${MAX_RECORD_BYTES} bytes of ${bytes.length})`;
}
