import { applyMergePatch } from './mergePatch';

describe('applyMergePatch', () => {
  it('follows RFC 7386', () => {
    expect(
      applyMergePatch(
        { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] },
        { a: 'z', c: { f: null, h: 'i' }, list: [3] },
      ),
    ).toEqual({ a: 'z', c: { d: 'e', h: 'i' }, list: [3] });
  });

  it('replaces a non-object target and ignores nothing', () => {
    expect(applyMergePatch('text', { a: 1 })).toEqual({ a: 1 });
    expect(applyMergePatch({ a: 1 }, 'text')).toBe('text');
  });
});
