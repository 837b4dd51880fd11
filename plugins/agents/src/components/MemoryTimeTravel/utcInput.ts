/** `2026-12-01T10:00`, the value of a datetime-local input, for an ISO time read as UTC. */
export function toUtcInput(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 16);
}

/**
 * The ISO time with zone the backend asks for, from a datetime-local value. The input is read
 * as UTC because the page states every commit time in UTC.
 */
export function fromUtcInput(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value;
}
