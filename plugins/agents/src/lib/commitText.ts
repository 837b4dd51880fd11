/** The first seven characters of a commit id, as git shows it. */
export function shortSha(commit: string): string {
  return commit.slice(0, 7);
}

/** `2026-12-01 10:00 UTC`: a commit time, the same for every viewer. */
export function formatUtc(time: string): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return time;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `path@1a2b3c4#L12`: a citation short enough to read; the full one is `path@<commit>#L12`. */
export function shortCitation(
  path: string,
  commit: string,
  line?: number,
): string {
  return `${path}@${shortSha(commit)}${line === undefined ? '' : `#L${line}`}`;
}
