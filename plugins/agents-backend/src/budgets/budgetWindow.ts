const UNIT_MS = { h: 3_600_000, d: 86_400_000 } as const;

/** The length of a budget window such as `24h` or `7d`, in milliseconds. */
export function windowMs(window: string): number {
  const match = /^([1-9][0-9]{0,3})([hd])$/.exec(window);
  if (!match) throw new Error(`Not a budget window: ${window}`);
  return Number(match[1]) * UNIT_MS[match[2] as 'h' | 'd'];
}
