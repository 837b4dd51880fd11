import { countOf, formatCost, formatDuration, isTerminal } from './format';

describe('format', () => {
  it('formats durations from start to end, or to now while running', () => {
    const start = '2026-01-01T00:00:00.000Z';
    expect(formatDuration(start, '2026-01-01T00:00:09.900Z')).toBe('9s');
    expect(formatDuration(start, '2026-01-01T00:03:04.000Z')).toBe('3m 4s');
    expect(formatDuration(start, '2026-01-01T02:05:00.000Z')).toBe('2h 5m');
    expect(formatDuration(start, undefined, Date.parse(start) + 61_000)).toBe(
      '1m 1s',
    );
    expect(formatDuration(undefined)).toBe('—');
  });

  it('formats cost and tokens', () => {
    expect(
      formatCost({ usd: 0.01234, inputTokens: 1200, outputTokens: 34 }),
    ).toBe('$0.0123 · 1,200 in / 34 out');
    expect(formatCost({ usd: 12.5 })).toBe('$12.50');
    expect(formatCost({ usd: 0, inputTokens: 46, outputTokens: 11 })).toBe(
      '$0 · 46 in / 11 out',
    );
    expect(formatCost(undefined)).toBe('—');
  });

  it('knows the terminal phases', () => {
    expect(isTerminal('Succeeded')).toBe(true);
    expect(isTerminal('Waiting')).toBe(false);
    expect(isTerminal(undefined)).toBe(false);
  });

  it('counts with the noun in the singular only for one', () => {
    expect(countOf(1, 'record')).toBe('1 record');
    expect(countOf(0, 'result')).toBe('0 results');
    expect(countOf(24, 'edge')).toBe('24 edges');
  });
});
