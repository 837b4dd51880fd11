import { formatUtc, shortCitation, shortSha } from './commitText';

const COMMIT = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';

describe('commitText', () => {
  it('shortens a commit id to seven characters', () => {
    expect(shortSha(COMMIT)).toBe('1a2b3c4');
  });

  it('writes a commit time in UTC to the minute, whatever zone it came in', () => {
    expect(formatUtc('2026-12-01T10:00:59Z')).toBe('2026-12-01 10:00 UTC');
    expect(formatUtc('2026-12-01T12:30:00+02:00')).toBe('2026-12-01 10:30 UTC');
    expect(formatUtc('not a time')).toBe('not a time');
  });

  it('cites a line or a whole file at the short commit', () => {
    expect(shortCitation('services/payments-api.md', COMMIT, 12)).toBe(
      'services/payments-api.md@1a2b3c4#L12',
    );
    expect(shortCitation('MEMORY.md', COMMIT)).toBe('MEMORY.md@1a2b3c4');
  });
});
