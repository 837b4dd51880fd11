import fs from 'node:fs';
import path from 'node:path';

/*
 * The test doubles and kits in `__testUtils__` (the Agent Mux test gateway, the fake model APIs,
 * the forge doubles, …) are not part of the published plugin. Its bundle holds only what
 * `src/index.ts` reaches, so no source file outside them may import them.
 */

const SRC = __dirname;

function isTestCode(file: string): boolean {
  return (
    /\.test\.tsx?$/.test(file) || file.split(path.sep).includes('__testUtils__')
  );
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The module specifiers of `import … from`, `export … from`, `import(…)` and `require(…)`. */
function specifiers(source: string): string[] {
  const pattern =
    /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map(match => match[1]);
}

describe('published code', () => {
  it('imports nothing from __testUtils__', () => {
    const published = sourceFiles(SRC)
      .map(file => path.relative(SRC, file))
      .filter(file => !isTestCode(file));
    const offenders = published.flatMap(file =>
      specifiers(fs.readFileSync(path.join(SRC, file), 'utf8'))
        .filter(specifier => specifier.includes('__testUtils__'))
        .map(specifier => `${file} imports ${specifier}`),
    );

    expect(published).toContain('plugin.ts'); // the walk found the sources
    expect(offenders).toEqual([]);
  });
});
