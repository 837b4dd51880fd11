import { InputError, NotFoundError } from '@backstage/errors';
import childProcess from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryGit } from './MemoryGit';

jest.setTimeout(60_000);

function git(cwd: string, args: string[], date?: string): string {
  return childProcess
    .execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
        ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    .trim();
}

/** Writes (string or Buffer) or deletes (null) files, then commits them all at `date`. */
function commitFiles(
  repo: string,
  date: string,
  files: Record<string, string | Buffer | null>,
): string {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(repo, file);
    if (content === null) {
      fs.rmSync(target);
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
  }
  git(repo, ['add', '-A']);
  git(
    repo,
    [
      '-c',
      'user.name=Test',
      '-c',
      'user.email=test@example.com',
      '-c',
      'commit.gpgsign=false',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      `at ${date}`,
    ],
    date,
  );
  return git(repo, ['rev-parse', 'HEAD']);
}

async function inputError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error;
}

describe('MemoryGit', () => {
  let base: string;
  let repo: string;

  beforeEach(() => {
    base = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'memory-git-')),
    );
    repo = path.join(base, 'repo');
    fs.mkdirSync(repo);
    git(repo, ['init', '-q', '-b', 'main']);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(base, { recursive: true, force: true });
  });

  describe('resolve', () => {
    let c1: string;
    let c2: string;
    let c3: string;
    let c4: string;
    let memory: MemoryGit;

    beforeEach(() => {
      c1 = commitFiles(repo, '2026-01-01T10:00:00Z', { 'a.md': 'one\n' });
      git(repo, ['tag', 'v1']);
      c2 = commitFiles(repo, '2026-01-02T10:00:00Z', { 'a.md': 'two\n' });
      git(repo, ['tag', '-a', '-m', 'annotated', 'v2'], '2026-01-02T10:00:00Z');
      git(repo, ['branch', 'feature']);
      c3 = commitFiles(repo, '2026-01-03T10:00:00Z', { 'a.md': 'three\n' });
      git(repo, ['checkout', '-q', 'feature']);
      c4 = commitFiles(repo, '2026-01-05T10:00:00Z', { 'b.md': 'feature\n' });
      git(repo, ['checkout', '-q', 'main']);
      memory = new MemoryGit(repo);
    });

    it('resolves the default branch, branches, tags and commits', async () => {
      await expect(memory.resolve()).resolves.toEqual({
        commit: c3,
        ref: 'main',
        committedAt: '2026-01-03T10:00:00.000Z',
      });
      await expect(memory.resolve({ ref: 'feature' })).resolves.toEqual({
        commit: c4,
        ref: 'feature',
        committedAt: '2026-01-05T10:00:00.000Z',
      });
      expect((await memory.resolve({ ref: 'v1' })).commit).toBe(c1);
      expect((await memory.resolve({ ref: c2 })).commit).toBe(c2);
      expect((await memory.resolve({ ref: c2.slice(0, 10) })).commit).toBe(c2);
      expect((await memory.resolve({ ref: 'main~1' })).commit).toBe(c2);
      // An annotated tag resolves to its commit, not to the tag object.
      await expect(memory.resolve({ tag: 'v2' })).resolves.toEqual({
        commit: c2,
        ref: 'v2',
        committedAt: '2026-01-02T10:00:00.000Z',
      });
      expect((await memory.resolve({ tag: 'v1' })).commit).toBe(c1);
      expect(
        (await new MemoryGit(repo, { branch: 'feature' }).resolve()).commit,
      ).toBe(c4);
    });

    it('resolves a time to the last commit at or before it, deterministically', async () => {
      const between = await memory.resolve({ at: '2026-01-01T12:00:00Z' });
      expect(between).toEqual({
        commit: c1,
        ref: 'main@2026-01-01T12:00:00Z',
        committedAt: '2026-01-01T10:00:00.000Z',
      });
      await expect(
        memory.resolve({ at: '2026-01-01T12:00:00Z' }),
      ).resolves.toEqual(between);
      expect(
        (await memory.resolve({ at: '2026-01-02T10:00:00Z' })).commit,
      ).toBe(c2);
      expect(
        (await memory.resolve({ at: '2026-01-02T09:59:59Z' })).commit,
      ).toBe(c1);
      expect(
        (await memory.resolve({ at: '2026-01-02T11:00:00+01:00' })).commit,
      ).toBe(c2);
      expect(
        (await memory.resolve({ at: '2030-01-01T00:00:00Z' })).commit,
      ).toBe(c3);
      await expect(
        memory.resolve({ ref: 'feature', at: '2026-01-04T00:00:00Z' }),
      ).resolves.toEqual({
        commit: c2,
        ref: 'feature@2026-01-04T00:00:00Z',
        committedAt: '2026-01-02T10:00:00.000Z',
      });
      expect(
        (await memory.resolve({ tag: 'v2', at: '2026-01-01T10:00:00Z' }))
          .commit,
      ).toBe(c1);

      const before = await inputError(
        memory.resolve({ at: '2025-12-31T23:59:59Z' }),
      );
      expect(before.message).toBe(
        'at: the memory has no commit at or before 2025-12-31T23:59:59Z on main',
      );
      expect(
        (await inputError(memory.resolve({ at: '1960-01-01T00:00:00Z' })))
          .message,
      ).toMatch(/^at: the memory has no commit at or before/);
    });

    it('follows first parents only when resolving a time', async () => {
      git(
        repo,
        [
          '-c',
          'user.name=Test',
          '-c',
          'user.email=test@example.com',
          'merge',
          '-q',
          '--no-ff',
          '-m',
          'merge feature',
          'feature',
        ],
        '2026-01-06T10:00:00Z',
      );
      const merge = git(repo, ['rev-parse', 'HEAD']);
      // c4 (on feature, merged later) is newer than c3 but was not on main at that time.
      expect(
        (await memory.resolve({ at: '2026-01-05T12:00:00Z' })).commit,
      ).toBe(c3);
      expect(
        (await memory.resolve({ at: '2026-01-06T10:00:00Z' })).commit,
      ).toBe(merge);
    });

    it('refuses bad input with an InputError naming the field', async () => {
      const cases: Array<[Parameters<MemoryGit['resolve']>[0], RegExp]> = [
        [{ ref: 'main', tag: 'v1' }, /^ref: give either ref or tag/],
        [{ ref: 'nope' }, /^ref: no branch, tag or commit named 'nope'$/],
        [{ ref: '-v' }, /^ref: must not start with '-'$/],
        [{ ref: '--output=/tmp/x' }, /^ref: must not start with '-'$/],
        [{ ref: 'v1..main' }, /^ref: must not contain '\.\.'/],
        [{ ref: 'main\0' }, /^ref: must not contain/],
        [{ ref: 'ma in' }, /^ref: must not contain/],
        [{ ref: 'main@{1}' }, /^ref: must not contain/],
        [{ ref: '' }, /^ref: must be a non-empty string$/],
        [{ tag: 'feature' }, /^tag: no tag named 'feature'$/],
        [{ tag: 'v1~1' }, /^tag: 'v1~1' is not a valid name$/],
        [{ tag: '-v1' }, /^tag: must not start with '-'$/],
        [{ at: 'yesterday' }, /^at: expected an ISO 8601 timestamp/],
        [{ at: '2026-01-02T10:00:00' }, /^at: expected an ISO 8601 timestamp/],
        [{ at: '2026-02-30T10:00:00Z' }, /^at: expected an ISO 8601 timestamp/],
        [{ ref: 'nope', at: '2026-01-02T10:00:00Z' }, /^ref: no branch/],
      ];
      for (const [query, message] of cases) {
        expect((await inputError(memory.resolve(query))).message).toMatch(
          message,
        );
      }
      expect(() => new MemoryGit(repo, { branch: '-x' })).toThrow(
        /^branch: must not start with '-'$/,
      );
    });

    it('answers branch heads', async () => {
      await expect(memory.headOf()).resolves.toBe(c3);
      await expect(memory.headOf('feature')).resolves.toBe(c4);
      await expect(memory.headOf('nope')).resolves.toBeUndefined();
      await expect(
        new MemoryGit(repo, { branch: 'feature' }).headOf(),
      ).resolves.toBe(c4);
    });
  });

  it('has no head and no default commit when empty', async () => {
    const memory = new MemoryGit(repo);
    await expect(memory.headOf()).resolves.toBeUndefined();
    await expect(memory.resolve()).rejects.toThrow(NotFoundError);
    await expect(memory.resolve()).rejects.toThrow(
      'the memory has no commits on main',
    );
  });

  describe('listFiles', () => {
    let commit: string;
    beforeEach(() => {
      commit = commitFiles(repo, '2026-01-01T10:00:00Z', {
        'README.md': 'readme\n',
        'docs/a.md': 'a\n',
        'docs/b.txt': 'b\n',
        'docs/deep/c.md': 'c\n',
        'docs2/d.md': 'd\n',
        'img.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]),
      });
    });

    it('lists files by folder, file and extension', async () => {
      const memory = new MemoryGit(repo);
      expect(await memory.listFiles(commit)).toEqual([
        'README.md',
        'docs/a.md',
        'docs/b.txt',
        'docs/deep/c.md',
        'docs2/d.md',
        'img.png',
      ]);
      expect(await memory.listFiles(commit, { paths: ['docs'] })).toEqual([
        'docs/a.md',
        'docs/b.txt',
        'docs/deep/c.md',
      ]);
      expect(
        await memory.listFiles(commit, { paths: ['docs/', 'README.md'] }),
      ).toEqual(['README.md', 'docs/a.md', 'docs/b.txt', 'docs/deep/c.md']);
      expect(await memory.listFiles(commit, { extension: 'md' })).toEqual([
        'README.md',
        'docs/a.md',
        'docs/deep/c.md',
        'docs2/d.md',
      ]);
      expect(
        await memory.listFiles(commit, { paths: ['docs'], extension: '.md' }),
      ).toEqual(['docs/a.md', 'docs/deep/c.md']);
      // Paths are literal: no globs, no pathspec magic.
      expect(await memory.listFiles(commit, { paths: ['*.md'] })).toEqual([]);
      expect(
        await memory.listFiles(commit, { paths: [':(exclude)docs'] }),
      ).toEqual([]);
      expect(await memory.listFiles(commit, { paths: ['nope'] })).toEqual([]);
    });

    it('refuses bad paths and unknown commits', async () => {
      const memory = new MemoryGit(repo);
      for (const bad of ['../x', '/etc', 'docs/../x', './docs', 'a//b']) {
        expect(
          (await inputError(memory.listFiles(commit, { paths: [bad] })))
            .message,
        ).toMatch(/^paths: /);
      }
      expect(
        (await inputError(memory.listFiles(commit, { extension: 'a/b' })))
          .message,
      ).toMatch(/^extension: /);
      expect((await inputError(memory.listFiles('main'))).message).toMatch(
        /^commit: expected a full commit id/,
      );
      expect((await inputError(memory.listFiles('0'.repeat(40)))).message).toBe(
        `commit: the memory has no commit ${'0'.repeat(40)}`,
      );
    });
  });

  describe('readFiles', () => {
    it('reads 500 files with one git process, like git show', async () => {
      const files: Record<string, string> = {};
      const paths: string[] = [];
      for (let i = 0; i < 500; i++) {
        const file = `notes/${i % 10}/note ${i}.md`;
        files[file] = `# Note ${i}\n\nÉté ${'x'.repeat(i)}\n`;
        paths.push(file);
      }
      files['notes/empty.md'] = '';
      const commit = commitFiles(repo, '2026-01-01T10:00:00Z', files);
      const memory = new MemoryGit(repo);
      const spawn = jest.spyOn(childProcess, 'spawn');

      const texts = await memory.readFiles(commit, [
        ...paths,
        'notes/empty.md',
        'missing.md',
        'notes',
      ]);

      expect(spawn).toHaveBeenCalledTimes(1);
      expect(spawn.mock.calls[0][1]).toEqual(
        expect.arrayContaining(['cat-file', '--batch']),
      );
      expect(texts.size).toBe(501);
      expect(texts.has('missing.md')).toBe(false);
      expect(texts.has('notes')).toBe(false);
      expect(texts.get('notes/empty.md')).toBe('');
      for (const i of [0, 1, 99, 250, 499]) {
        const file = `notes/${i % 10}/note ${i}.md`;
        const shown = childProcess.execFileSync(
          'git',
          ['show', `${commit}:${file}`],
          { cwd: repo, encoding: 'utf8' },
        );
        expect(texts.get(file)).toBe(shown);
        expect(texts.get(file)).toBe(`# Note ${i}\n\nÉté ${'x'.repeat(i)}\n`);
      }
      expect([...texts.keys()].slice(0, 2)).toEqual([paths[0], paths[1]]);
    });

    it('reads each commit as it was', async () => {
      const c1 = commitFiles(repo, '2026-01-01T10:00:00Z', { 'a.md': 'v1\n' });
      const c2 = commitFiles(repo, '2026-01-02T10:00:00Z', {
        'a.md': 'v2\n',
        'b.md': 'new\n',
      });
      const memory = new MemoryGit(repo);
      expect(await memory.readFiles(c1, ['a.md', 'b.md'])).toEqual(
        new Map([['a.md', 'v1\n']]),
      );
      expect(await memory.readFiles(c2, ['a.md', 'b.md'])).toEqual(
        new Map([
          ['a.md', 'v2\n'],
          ['b.md', 'new\n'],
        ]),
      );
      expect(await memory.readFiles(c2, [])).toEqual(new Map());
      expect(
        (await inputError(memory.readFiles('f'.repeat(40), ['a.md']))).message,
      ).toBe(`commit: the memory has no commit ${'f'.repeat(40)}`);
      expect(
        (await inputError(memory.readFiles(c2, ['a.md\nb.md']))).message,
      ).toMatch(/^paths: must not contain NUL or line breaks/);
      expect(
        (await inputError(memory.readFiles(c2, ['../a.md']))).message,
      ).toMatch(/^paths: /);
    });
  });

  describe('grep', () => {
    let c1: string;
    let c2: string;
    let memory: MemoryGit;
    beforeEach(() => {
      c1 = commitFiles(repo, '2026-01-01T10:00:00Z', {
        'docs/a.md': '# A\nstatus: draft\nabc and a.c\n',
        'docs/b.md': 'Status: Final\nfoo(bar)\n',
        'other/c.md': 'status: other\n',
        'blob.bin': Buffer.from('status: binary\0\0\0needle\n'),
        'many.md': Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join(
          '\n',
        ),
      });
      c2 = commitFiles(repo, '2026-01-02T10:00:00Z', {
        'docs/a.md': '# A\nstatus: approved\nabc and a.c\n',
      });
      memory = new MemoryGit(repo);
    });

    it('answers each commit as it was', async () => {
      const query = { pattern: 'status: ', paths: ['docs/a.md'] };
      expect(await memory.grep(c1, query)).toEqual([
        { path: 'docs/a.md', line: 2, text: 'status: draft' },
      ]);
      expect(await memory.grep(c2, query)).toEqual([
        { path: 'docs/a.md', line: 2, text: 'status: approved' },
      ]);
    });

    it('matches literally, by regex and ignoring case, skipping binary files', async () => {
      expect(await memory.grep(c1, { pattern: 'a.c' })).toEqual([
        { path: 'docs/a.md', line: 3, text: 'abc and a.c' },
      ]);
      expect(await memory.grep(c1, { pattern: 'foo(bar)' })).toEqual([
        { path: 'docs/b.md', line: 2, text: 'foo(bar)' },
      ]);
      expect(
        await memory.grep(c1, { pattern: '^[a-z]+ and a\\.c$', regex: true }),
      ).toEqual([{ path: 'docs/a.md', line: 3, text: 'abc and a.c' }]);
      expect(await memory.grep(c1, { pattern: 'status:' })).toEqual([
        { path: 'docs/a.md', line: 2, text: 'status: draft' },
        { path: 'other/c.md', line: 1, text: 'status: other' },
      ]);
      expect(
        await memory.grep(c1, { pattern: 'STATUS:', ignoreCase: true }),
      ).toEqual([
        { path: 'docs/a.md', line: 2, text: 'status: draft' },
        { path: 'docs/b.md', line: 1, text: 'Status: Final' },
        { path: 'other/c.md', line: 1, text: 'status: other' },
      ]);
      expect(
        await memory.grep(c1, {
          pattern: 'status',
          ignoreCase: true,
          paths: ['docs'],
        }),
      ).toEqual([
        { path: 'docs/a.md', line: 2, text: 'status: draft' },
        { path: 'docs/b.md', line: 1, text: 'Status: Final' },
      ]);
      expect(await memory.grep(c1, { pattern: 'needle' })).toEqual([]);
      expect(await memory.grep(c1, { pattern: 'nothing like it' })).toEqual([]);
      expect(
        await memory.grep(c1, { pattern: 'status', paths: ['nope'] }),
      ).toEqual([]);
    });

    it('stops at maxMatches', async () => {
      const matches = await memory.grep(c1, {
        pattern: 'line',
        paths: ['many.md'],
        maxMatches: 7,
      });
      expect(matches).toEqual(
        Array.from({ length: 7 }, (_, i) => ({
          path: 'many.md',
          line: i + 1,
          text: `line ${i + 1}`,
        })),
      );
      expect(
        await memory.grep(c1, { pattern: '.', regex: true, maxMatches: 3 }),
      ).toHaveLength(3);
      expect(
        await memory.grep(c1, { pattern: 'line', paths: ['many.md'] }),
      ).toHaveLength(50);
    });

    it('refuses bad input with an InputError naming the field', async () => {
      expect(
        (await inputError(memory.grep(c1, { pattern: 'foo(', regex: true })))
          .message,
      ).toMatch(/^pattern: .*Unmatched \(/);
      expect((await inputError(memory.grep(c1, { pattern: '' }))).message).toBe(
        'pattern: must be a non-empty string',
      );
      expect(
        (await inputError(memory.grep(c1, { pattern: 'a', maxMatches: 0 })))
          .message,
      ).toBe('maxMatches: must be a positive integer');
      expect(
        (await inputError(memory.grep(c1, { pattern: 'a', paths: ['..'] })))
          .message,
      ).toMatch(/^paths: /);
      expect(
        (await inputError(memory.grep('a'.repeat(40), { pattern: 'a' })))
          .message,
      ).toBe(`commit: the memory has no commit ${'a'.repeat(40)}`);
    });
  });

  it('lists changed files, a rename as delete and add', async () => {
    const c1 = commitFiles(repo, '2026-01-01T10:00:00Z', {
      'keep.md': 'same\n',
      'edit.md': 'before\n',
      'gone.md': 'bye\n',
      'old name.md': 'moved content\n',
    });
    fs.mkdirSync(path.join(repo, 'docs'));
    git(repo, ['mv', 'old name.md', 'docs/new name.md']);
    const c2 = commitFiles(repo, '2026-01-02T10:00:00Z', {
      'edit.md': 'after\n',
      'gone.md': null,
      'added.md': 'hello\n',
    });
    const memory = new MemoryGit(repo);
    expect(await memory.changedFiles(c1, c2)).toEqual([
      { path: 'added.md', status: 'added' },
      { path: 'docs/new name.md', status: 'added' },
      { path: 'edit.md', status: 'modified' },
      { path: 'gone.md', status: 'deleted' },
      { path: 'old name.md', status: 'deleted' },
    ]);
    expect(await memory.changedFiles(c2, c1)).toEqual([
      { path: 'added.md', status: 'deleted' },
      { path: 'docs/new name.md', status: 'deleted' },
      { path: 'edit.md', status: 'modified' },
      { path: 'gone.md', status: 'added' },
      { path: 'old name.md', status: 'added' },
    ]);
    expect(await memory.changedFiles(c2, c2)).toEqual([]);
    expect(
      (await inputError(memory.changedFiles(c1, 'b'.repeat(40)))).message,
    ).toBe(`to: the memory has no commit ${'b'.repeat(40)}`);
    expect((await inputError(memory.changedFiles('HEAD', c1))).message).toMatch(
      /^from: /,
    );
  });

  it('answers the commits that changed a file, newest first', async () => {
    const c1 = commitFiles(repo, '2026-01-01T10:00:00Z', {
      'a.md': '1\n',
      'b.md': '1\n',
    });
    commitFiles(repo, '2026-01-02T10:00:00Z', { 'b.md': '2\n' });
    const c3 = commitFiles(repo, '2026-01-03T10:00:00Z', { 'a.md': '3\n' });
    const c4 = commitFiles(repo, '2026-01-04T10:00:00Z', { 'b.md': '4\n' });
    const memory = new MemoryGit(repo);
    expect(await memory.fileHistory(c4, 'a.md')).toEqual([
      { commit: c3, committedAt: '2026-01-03T10:00:00.000Z' },
      { commit: c1, committedAt: '2026-01-01T10:00:00.000Z' },
    ]);
    expect(await memory.fileHistory(c1, 'a.md')).toEqual([
      { commit: c1, committedAt: '2026-01-01T10:00:00.000Z' },
    ]);
    expect(await memory.fileHistory(c4, 'nope.md')).toEqual([]);
  });

  it('reads a bare repository', async () => {
    const c1 = commitFiles(repo, '2026-01-01T10:00:00Z', {
      'docs/a.md': 'status: draft\n',
    });
    const c2 = commitFiles(repo, '2026-01-02T10:00:00Z', {
      'docs/a.md': 'status: approved\n',
      'docs/b.md': 'b\n',
    });
    git(repo, ['tag', 'v1', c1]);
    const bare = path.join(base, 'bare.git');
    git(base, ['clone', '-q', '--bare', repo, bare]);
    expect(git(bare, ['rev-parse', '--is-bare-repository'])).toBe('true');

    const memory = new MemoryGit(bare);
    await expect(memory.resolve()).resolves.toEqual({
      commit: c2,
      ref: 'main',
      committedAt: '2026-01-02T10:00:00.000Z',
    });
    expect((await memory.resolve({ tag: 'v1' })).commit).toBe(c1);
    expect((await memory.resolve({ at: '2026-01-01T23:00:00Z' })).commit).toBe(
      c1,
    );
    await expect(memory.headOf()).resolves.toBe(c2);
    expect(await memory.listFiles(c2)).toEqual(['docs/a.md', 'docs/b.md']);
    expect(await memory.readFiles(c1, ['docs/a.md', 'docs/b.md'])).toEqual(
      new Map([['docs/a.md', 'status: draft\n']]),
    );
    expect(await memory.grep(c2, { pattern: 'status' })).toEqual([
      { path: 'docs/a.md', line: 1, text: 'status: approved' },
    ]);
    expect(await memory.changedFiles(c1, c2)).toEqual([
      { path: 'docs/a.md', status: 'modified' },
      { path: 'docs/b.md', status: 'added' },
    ]);
    expect(await memory.fileHistory(c2, 'docs/b.md')).toEqual([
      { commit: c2, committedAt: '2026-01-02T10:00:00.000Z' },
    ]);
  });
});
