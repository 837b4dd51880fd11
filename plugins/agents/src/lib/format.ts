import { RunEventUsage } from '@krate/plugin-agents-common';

/** `1h 2m`, `3m 4s`, `5s`: how long from start to end (or to now while running). */
export function formatDuration(
  start?: string,
  end?: string,
  now: number = Date.now(),
): string {
  if (!start) return '—';
  const ms = (end ? Date.parse(end) : now) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** `$0.0123 · 1,200 in / 340 out`, or `—` without usage. */
export function formatCost(cost?: RunEventUsage): string {
  if (!cost) return '—';
  const parts: string[] = [];
  if (cost.usd !== undefined) {
    let usd = cost.usd.toFixed(2);
    if (cost.usd === 0) usd = '0';
    else if (cost.usd < 1) usd = cost.usd.toFixed(4);
    parts.push(`$${usd}`);
  }
  if (cost.inputTokens !== undefined || cost.outputTokens !== undefined) {
    parts.push(
      `${(cost.inputTokens ?? 0).toLocaleString('en-US')} in / ${(
        cost.outputTokens ?? 0
      ).toLocaleString('en-US')} out`,
    );
  }
  return parts.length ? parts.join(' · ') : '—';
}

/** A timestamp in the viewer's locale, or `—`. */
export function formatTime(time?: string): string {
  if (!time) return '—';
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? time : date.toLocaleString();
}

/** The phases a run or attempt never leaves. */
export const TERMINAL_PHASES = ['Succeeded', 'Failed', 'Cancelled'];

export function isTerminal(phase?: string): boolean {
  return phase !== undefined && TERMINAL_PHASES.includes(phase);
}

/** `1 record`, `2 records`: a count with its noun. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
