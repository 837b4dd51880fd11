import { parseJsonText } from './parseJsonText';

describe('parseJsonText', () => {
  it('names duplicate keys inside arrays by index', () => {
    expect(() =>
      parseJsonText('{"spec":{"tools":[{"id":1},{"id":2,"id":3}]}}'),
    ).toThrow("body.spec.tools[1]: the key 'id' appears more than once");
    expect(parseJsonText('{"a":{"id":1},"b":{"id":1}}')).toEqual({
      a: { id: 1 },
      b: { id: 1 },
    });
  });

  it('reads keys inside strings as text, escapes included', () => {
    expect(parseJsonText('{"a":"{\\"a\\":1,\\"a\\":2}","b":"\\\\"}')).toEqual({
      a: '{"a":1,"a":2}',
      b: '\\',
    });
  });

  it('lets a webhook payload keep its NULs but not its depth', () => {
    expect(parseJsonText('{"title":"a\\u0000"}', { allowNul: true })).toEqual({
      title: 'a\u0000',
    });
    expect(() =>
      parseJsonText(`${'['.repeat(100)}${']'.repeat(100)}`, { allowNul: true }),
    ).toThrow('nests deeper than 64 levels');
  });
});
