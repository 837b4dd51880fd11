import { parseCatFileBatch } from './catFileBatch';

const id = 'a'.repeat(40);

describe('parseCatFileBatch', () => {
  it('parses objects, empty objects and missing names in order', () => {
    const output = Buffer.concat([
      Buffer.from(`${id} blob 7\nline 1\n\n`),
      Buffer.from(`${'b'.repeat(40)}:notes/x y.md missing\n`),
      Buffer.from(`${id} blob 0\n\n`),
      Buffer.from(`${id} blob 4\n`),
      Buffer.from([0, 1, 0x0a, 2]),
      Buffer.from('\nabc ambiguous\n'),
    ]);
    const objects = parseCatFileBatch(output);
    expect(
      objects.map(o => o && [o.type, o.content.toString('latin1')]),
    ).toEqual([
      ['blob', 'line 1\n'],
      undefined,
      ['blob', ''],
      ['blob', '\0\x01\n\x02'],
      undefined,
    ]);
  });

  it('refuses truncated output', () => {
    expect(() =>
      parseCatFileBatch(Buffer.from(`${id} blob 10\nshort\n`)),
    ).toThrow('truncated content');
    expect(() => parseCatFileBatch(Buffer.from(`${id} blob 1`))).toThrow(
      'truncated header',
    );
  });
});
