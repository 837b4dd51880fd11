import {
  documentStructureProblem,
  MAX_DOCUMENT_DEPTH,
} from './documentStructure';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('documentStructureProblem', () => {
  it('accepts an ordinary document, shared (non-recursive) values included', () => {
    const shared = { image: 'x' };
    expect(
      documentStructureProblem({
        spec: { one: shared, two: shared, tools: ['a', 'b'], constructor: 1 },
      }),
    ).toBeUndefined();
    expect(
      documentStructureProblem(nested(MAX_DOCUMENT_DEPTH)),
    ).toBeUndefined();
  });

  it('names where nesting passes the limit, even a hundred thousand levels down', () => {
    expect(documentStructureProblem(nested(MAX_DOCUMENT_DEPTH + 1))).toEqual({
      path: Array(MAX_DOCUMENT_DEPTH).fill('a').join('.'),
      message: `nests deeper than ${MAX_DOCUMENT_DEPTH} levels`,
    });
    let deepArray: unknown = [];
    for (let i = 0; i < 100_000; i++) deepArray = [deepArray];
    expect(documentStructureProblem(deepArray)?.message).toBe(
      `nests deeper than ${MAX_DOCUMENT_DEPTH} levels`,
    );
  });

  it('finds a value that contains itself', () => {
    const loop: Record<string, unknown> = { name: 'x' };
    loop.spec = { items: [loop] };
    expect(documentStructureProblem(loop)).toEqual({
      path: 'spec.items[0]',
      message: 'contains itself (a recursive alias)',
    });
  });

  it('finds NUL characters in strings and keys', () => {
    expect(
      documentStructureProblem({ spec: { tools: ['ok', 'b\u0000'] } }),
    ).toEqual({
      path: 'spec.tools[1]',
      message: 'must not contain NUL characters',
    });
    expect(documentStructureProblem({ labels: { 'a\u0000': 'x' } })).toEqual({
      path: 'labels.a\u0000',
      message: 'must not contain NUL characters',
    });
  });

  it('refuses keys that reach a prototype', () => {
    expect(
      documentStructureProblem(
        JSON.parse('{"spec":{"__proto__":{"admin":true}}}'),
      ),
    ).toEqual({
      path: 'spec.__proto__',
      message: "'__proto__' is not allowed as a key",
    });
    expect(
      documentStructureProblem({ constructor: { prototype: { admin: true } } }),
    ).toEqual({
      path: 'constructor.prototype',
      message: "'constructor.prototype' is not allowed as a key",
    });
  });
});
