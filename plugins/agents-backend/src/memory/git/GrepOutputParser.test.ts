import { GrepOutputParser } from './GrepOutputParser';

const commit = 'c'.repeat(40);

function record(file: string, line: number, text: string): string {
  return `${commit}:${file}\0${line}\0${text}\n`;
}

describe('GrepOutputParser', () => {
  it('parses records split anywhere across chunks', () => {
    const output = Buffer.from(
      record('docs/a.md', 3, 'Été: 1\0x') +
        record('odd\nname.md', 12, '') +
        record('b.md', 1, 'path:with:colons'),
    );
    const parser = new GrepOutputParser({
      commit,
      maxMatches: 10,
      maxBytes: 1000,
    });
    for (let i = 0; i < output.length; i += 3) {
      expect(parser.push(output.subarray(i, i + 3))).toBe(true);
    }
    expect(parser.matches).toEqual([
      { path: 'docs/a.md', line: 3, text: 'Été: 1\0x' },
      { path: 'odd\nname.md', line: 12, text: '' },
      { path: 'b.md', line: 1, text: 'path:with:colons' },
    ]);
    expect(parser.truncated).toBe(false);
  });

  it('stops at maxMatches', () => {
    const parser = new GrepOutputParser({
      commit,
      maxMatches: 2,
      maxBytes: 1000,
    });
    expect(
      parser.push(
        Buffer.from(
          record('a', 1, 'x') + record('a', 2, 'y') + record('a', 3, 'z'),
        ),
      ),
    ).toBe(false);
    expect(parser.matches.map(m => m.line)).toEqual([1, 2]);
    expect(parser.truncated).toBe(true);
  });

  it('stops at maxBytes, dropping the record cut in half', () => {
    const one = record('a.md', 1, 'x'.repeat(20));
    const parser = new GrepOutputParser({
      commit,
      maxMatches: 100,
      maxBytes: one.length * 2 + 5,
    });
    expect(parser.push(Buffer.from(one))).toBe(true);
    expect(parser.push(Buffer.from(one + one))).toBe(false);
    expect(parser.push(Buffer.from(one))).toBe(false);
    expect(parser.matches).toHaveLength(2);
    expect(parser.truncated).toBe(true);
  });
});
