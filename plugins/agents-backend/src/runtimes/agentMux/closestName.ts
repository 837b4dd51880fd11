function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate a mistyped or outdated name most likely meant (`claude-code` → `claude`), or
 * undefined when none is close enough to suggest.
 */
export function closestName(
  name: string,
  candidates: string[],
): string | undefined {
  const wanted = name.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (!best || distance < best.distance) {
      best = { candidate, distance };
    }
  }
  if (!best) {
    return undefined;
  }
  const related =
    wanted.startsWith(`${best.candidate.toLowerCase()}-`) ||
    best.candidate.toLowerCase().startsWith(`${wanted}-`);
  return related || best.distance <= Math.max(2, Math.floor(wanted.length / 3))
    ? best.candidate
    : undefined;
}
