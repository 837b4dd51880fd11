import fs from 'node:fs';
import path from 'node:path';
import { git, gitSandbox } from '../__testUtils__/gitFixtures';
import { GitCli } from '../workspaces/GitCli';
import { WorkspacePush } from './WorkspacePush';
import { workspacePatch } from './workspacePatch';

describe('what a run leaves under .krate/memory/', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  beforeEach(() => {
    sandbox = gitSandbox();
  });
  afterEach(() => sandbox.cleanup());

  function write(file: string, content: string) {
    const target = path.join(sandbox.repo, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }

  it('is neither in the patch artifact nor in the commit that is pushed', async () => {
    const gitCli = new GitCli();
    const base = git(sandbox.repo, 'rev-parse', 'HEAD');
    write('src/fix.js', 'module.exports = 1;\n');
    write('.krate/memory/journal/run.md', '# What I learned\n');

    const patch = await workspacePatch(gitCli, sandbox.repo, base);
    expect(patch.patch).toContain('b/src/fix.js');
    expect(patch.patch).not.toContain('.krate/memory');
    expect(patch.stat.files).toBe(1);

    const head = await new WorkspacePush(gitCli).commitUncommitted(
      sandbox.repo,
      'The fix',
    );
    expect(git(sandbox.repo, 'show', '--name-only', '--format=', head)).toBe(
      'src/fix.js',
    );
    expect(
      fs.existsSync(path.join(sandbox.repo, '.krate/memory/journal/run.md')),
    ).toBe(true);
    // The same diff after the commit: the reviewed artifact stays valid.
    expect((await workspacePatch(gitCli, sandbox.repo, base)).digest).toBe(
      patch.digest,
    );
  });
});
