import fs from 'node:fs';
import path from 'node:path';
import { commit, git, gitSandbox } from '../__testUtils__/gitFixtures';
import { GitCli, GitError, parsePorcelainV2 } from './GitCli';
import { readWorkspaceGitState } from './WorkspaceGitState';

jest.setTimeout(30_000);

describe('GitCli', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  const cli = new GitCli();
  beforeEach(() => {
    sandbox = gitSandbox();
  });
  afterEach(() => sandbox.cleanup());

  it('parses porcelain v2 with renames, untracked and unmerged entries', () => {
    const out = [
      '# branch.oid 1111111111111111111111111111111111111111',
      '# branch.head feature',
      '# branch.upstream origin/feature',
      '# branch.ab +2 -3',
      '1 .M N... 100644 100644 100644 aaa aaa src/a.ts',
      '2 R. N... 100644 100644 100644 bbb bbb R100 src/new name.ts',
      'src/old name.ts',
      'u UU N... 100644 100644 100644 100644 c1 c2 c3 src/both changed.ts',
      '? scratch.txt',
      '',
    ].join('\0');
    expect(parsePorcelainV2(out)).toEqual({
      headSha: '1111111111111111111111111111111111111111',
      branch: 'feature',
      upstream: 'origin/feature',
      ahead: 2,
      behind: 3,
      uncommittedCount: 4,
      conflictingFiles: ['src/both changed.ts'],
    });
    expect(
      parsePorcelainV2('# branch.oid (initial)\0# branch.head (detached)\0'),
    ).toEqual({
      ahead: 0,
      behind: 0,
      uncommittedCount: 0,
      conflictingFiles: [],
    });
  });

  it('adds, lists and removes worktrees, and diffs against a base', async () => {
    const worktree = path.join(sandbox.root, 'wt');
    const base = await cli.revParse(sandbox.repo, 'HEAD');
    await cli.worktreeAdd(sandbox.repo, worktree, {
      newBranch: 'feature',
      ref: 'main',
    });
    expect(await cli.worktreeList(sandbox.repo)).toEqual([
      { path: sandbox.repo, headSha: base, branch: 'main' },
      { path: worktree, headSha: base, branch: 'feature' },
    ]);
    expect(await cli.topLevel(worktree)).toBe(worktree);
    expect(await cli.commonDir(worktree)).toBe(path.join(sandbox.repo, '.git'));
    fs.writeFileSync(path.join(worktree, 'README.md'), 'changed\n');
    expect(await cli.diff(worktree, base)).toContain('+changed');
    await expect(cli.worktreeRemove(sandbox.repo, worktree)).rejects.toThrow(
      GitError,
    );
    await cli.worktreeRemove(sandbox.repo, worktree, { force: true });
    expect(fs.existsSync(worktree)).toBe(false);
  });

  it('turns failures into GitError with stderr', async () => {
    const error = await cli.revParse(sandbox.repo, 'no-such-ref').catch(e => e);
    expect(error).toBeInstanceOf(GitError);
    expect(error.exitCode).toBe(128);
    expect(error.stderr).toMatch(/Needed a single revision/);
    expect(error.message).toMatch(
      /^git rev-parse --verify .* failed \(exit 128\)/,
    );
  });

  it('reads tracking, ahead/behind, dirty and rebase state of a path', async () => {
    const clone = path.join(sandbox.base, 'clone');
    git(sandbox.base, 'clone', '-q', sandbox.repo, clone);
    git(clone, 'config', 'user.email', 'test@example.com');
    git(clone, 'config', 'user.name', 'Test');
    commit(clone, 'mine.txt', 'mine\n');
    commit(sandbox.repo, 'theirs.txt', 'theirs\n');
    git(clone, 'fetch', '-q');
    fs.writeFileSync(path.join(clone, 'untracked.txt'), 'x');

    const state = await readWorkspaceGitState(cli, clone);
    expect(state).toEqual({
      pathMissing: false,
      lastActivityTime: expect.any(String),
      git: {
        branch: 'main',
        headSha: git(clone, 'rev-parse', 'HEAD'),
        trackingBranch: 'origin/main',
        ahead: 1,
        behind: 1,
        dirty: true,
        uncommittedCount: 1,
        conflictingFiles: [],
        rebaseInProgress: false,
      },
    });
    fs.rmSync(path.join(clone, 'untracked.txt'));
    expect(await cli.rebaseStart(clone, 'origin/main')).toEqual({
      stopped: false,
    });
    expect((await readWorkspaceGitState(cli, clone)).git).toMatchObject({
      ahead: 1,
      behind: 0,
      dirty: false,
    });
    expect(
      await readWorkspaceGitState(cli, path.join(sandbox.base, 'gone')),
    ).toEqual({ pathMissing: true });
    expect(await readWorkspaceGitState(cli, sandbox.root)).toEqual({
      pathMissing: true,
    });
    // A plain directory inside a repository is not a workspace of its own.
    fs.mkdirSync(path.join(clone, 'plain'));
    expect(await readWorkspaceGitState(cli, path.join(clone, 'plain'))).toEqual(
      { pathMissing: true },
    );
  });
});
