import { generateUlid, isUlid } from './ulid';

describe('ulid', () => {
  it('generates distinct, time-ordered ULIDs', () => {
    const ids = Array.from({ length: 200 }, () => generateUlid());
    ids.forEach(id => expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/));
    expect(new Set(ids).size).toBe(200);
    expect(generateUlid(0).slice(0, 10)).toBe('0000000000');
    expect(
      generateUlid(Date.UTC(2030, 0, 1)) > generateUlid(Date.UTC(2025, 0, 1)),
    ).toBe(true);
  });

  it('rejects anything else', () => {
    for (const bad of [
      '../escape-test',
      '01hzy3k9v6b8c2d4e6f8g0j2k4',
      '01HZY3K9V6B8C2D4E6F8G0J2K',
      '01HZY3K9V6B8C2D4E6F8G0J2K4M',
      '01HZY3K9V6B8C2D4E6F8G0J2KU',
      '81HZY3K9V6B8C2D4E6F8G0J2K4',
      undefined,
      42,
    ]) {
      expect(isUlid(bad)).toBe(false);
    }
    expect(isUlid('01HZY3K9V6B8C2D4E6F8G0J2K4')).toBe(true);
  });
});
