/*
 * The repository's docs/ are the krate-agents-backstage component's TechDocs, built by this
 * backend with mkdocs from the root mkdocs.yml. mkdocs itself is not needed here: these checks
 * catch what makes `mkdocs build --strict` fail or a page vanish from the TechDocs navigation.
 */
import fs from 'node:fs';
import path from 'node:path';

const repositoryRoot = path.resolve(__dirname, '../../..');
const docsDir = path.join(repositoryRoot, 'docs');
const mkdocsYml = fs.readFileSync(
  path.join(repositoryRoot, 'mkdocs.yml'),
  'utf8',
);

// The backend has no YAML parser among its dependencies, so the nav block is read line by line;
// a line of any other shape fails the test rather than being skipped.
function navPages(yml: string): string[] {
  const lines = yml.split('\n');
  const start = lines.indexOf('nav:');
  if (start < 0) {
    throw new Error('mkdocs.yml has no top-level nav');
  }
  const pages: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === '' || /^\S/.test(line)) {
      break;
    }
    const entry = /^\s+- [^:]+:(?: (\S+))?$/.exec(line);
    if (!entry) {
      throw new Error(`Unexpected line in the mkdocs.yml nav: "${line}"`);
    }
    if (entry[1] !== undefined) {
      pages.push(entry[1]);
    }
  }
  return pages;
}

function docsPages(): string[] {
  return fs.readdirSync(docsDir).filter(name => name.endsWith('.md'));
}

function withoutFencedCode(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

// Links mkdocs resolves: relative, not only an anchor, not a URL.
function relativeLinks(markdown: string): string[] {
  const targets = [
    ...withoutFencedCode(markdown).matchAll(/\]\(([^)\s]+)\)/g),
  ].map(match => match[1]);
  return targets.filter(
    target => !target.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(target),
  );
}

describe('the TechDocs mkdocs.yml', () => {
  it('builds from docs/', () => {
    expect(mkdocsYml).toMatch(/^docs_dir: docs$/m);
  });

  it('lists every docs page in the nav exactly once, and only pages that exist', () => {
    const pages = navPages(mkdocsYml);
    expect(new Set(pages).size).toBe(pages.length);
    expect([...pages].sort()).toEqual(docsPages().sort());
  });

  it('has only links between docs pages that exist', () => {
    const broken = docsPages().flatMap(page => {
      const markdown = fs.readFileSync(path.join(docsDir, page), 'utf8');
      return relativeLinks(markdown)
        .filter(link => {
          const target = path.resolve(docsDir, link.split('#')[0]);
          return (
            !target.startsWith(`${docsDir}${path.sep}`) ||
            !fs.existsSync(target)
          );
        })
        .map(link => `${page} → ${link}`);
    });
    expect(broken).toEqual([]);
  });
});
