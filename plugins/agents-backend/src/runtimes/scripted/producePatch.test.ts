import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { commit, git } from '../../__testUtils__/gitFixtures';
import { RecordingHost } from '../../__testUtils__/recordingHost';
import { ScriptedRuntime } from './ScriptedRuntime';
import {
  scriptedLaunch,
  useTempDir,
} from '../../__testUtils__/scriptedTestKit';

const runtime = new ScriptedRuntime();

/** Every file under `dir` (except .git) with its content, for comparing trees. */
function treeOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const visit = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), {
      withFileTypes: true,
    })) {
      const rel = path.join(sub, entry.name);
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) visit(rel);
      else files[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
    }
  };
  visit('');
  return files;
}

function applyPatch(dir: string, patch: string) {
  const file = path.join(dir, '..', `${path.basename(dir)}.patch`);
  fs.writeFileSync(file, patch);
  execFileSync('git', ['apply', '--whitespace=nowarn', file], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const sha = (file: string) =>
  crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function producePatch(dir: string, steps: Record<string, unknown>[]) {
  const host = new RecordingHost();
  const outcome = await runtime.run(scriptedLaunch(dir, { steps }), host);
  expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
  const artifacts = host.ofType('artifact');
  expect(artifacts).toHaveLength(1);
  const [artifact] = artifacts;
  expect(artifact.artifactKind).toBe('patch');
  expect(artifact.byteCount).toBe(Buffer.byteLength(artifact.content ?? ''));
  return artifact;
}

const edits = [
  {
    patchFile: { path: 'src/a.txt', find: 'two', replace: 'TWO' },
  },
  { writeFile: { path: 'new/b.txt', content: 'brand new\n' } },
  { shell: 'rm old.txt && echo noise > debug.log' },
];

describe('ScriptedRuntime producePatch', () => {
  const dir = useTempDir();
  const work = () => path.join(dir(), 'work');

  describe('in a git work tree', () => {
    beforeEach(() => {
      fs.mkdirSync(work());
      git(work(), 'init', '-q', '-b', 'main');
      git(work(), 'config', 'user.email', 'test@example.com');
      git(work(), 'config', 'user.name', 'Test');
      commit(work(), '.gitignore', '*.log\n');
      commit(work(), 'src/a.txt', 'one\ntwo\nthree\n');
      commit(work(), 'old.txt', 'going away\n');
    });

    it('diffs tracked and untracked changes against HEAD without touching the index', async () => {
      const indexBefore = sha(path.join(work(), '.git/index'));
      const artifact = await producePatch(work(), [
        ...edits,
        { producePatch: { name: 'fix.patch' } },
      ]);

      expect(artifact.name).toBe('fix.patch');
      const patch = artifact.content!;
      expect(patch).toContain('diff --git a/src/a.txt b/src/a.txt');
      expect(patch).toContain('-two\n+TWO\n');
      expect(patch).toContain('deleted file mode 100644');
      expect(patch).toContain('diff --git a/new/b.txt b/new/b.txt');
      expect(patch).not.toContain('debug.log');
      expect(sha(path.join(work(), '.git/index'))).toBe(indexBefore);
      expect(git(work(), 'status', '--porcelain')).toContain('?? new/');

      const copy = path.join(dir(), 'copy');
      git(dir(), 'clone', '-q', work(), copy);
      applyPatch(copy, patch);
      const { 'debug.log': _ignored, ...expected } = treeOf(work());
      expect(treeOf(copy)).toEqual(expected);
    });

    it('diffs against the empty tree before the first commit', async () => {
      const fresh = path.join(dir(), 'fresh');
      fs.mkdirSync(fresh);
      git(fresh, 'init', '-q', '-b', 'main');
      const artifact = await producePatch(fresh, [
        { writeFile: { path: 'hello.txt', content: 'hi\n' } },
        { producePatch: {} },
      ]);
      expect(artifact.name).toBe('changes.patch');
      expect(artifact.content).toContain('new file mode 100644');
      expect(artifact.content).toContain('+hi\n');
    });

    it('never runs diff drivers the repository configures', async () => {
      const marker = path.join(dir(), 'driver-ran');
      const driver = path.join(dir(), 'driver.sh');
      fs.writeFileSync(driver, `#!/bin/sh\ntouch ${marker}\ncat "$1"\n`, {
        mode: 0o755,
      });
      git(work(), 'config', 'diff.external', driver);
      git(work(), 'config', 'diff.evil.textconv', driver);
      fs.writeFileSync(
        path.join(work(), '.gitattributes'),
        '*.txt diff=evil\n',
      );

      const artifact = await producePatch(work(), [
        ...edits,
        { producePatch: {} },
      ]);
      expect(artifact.content).toContain('-two\n+TWO\n');
      expect(fs.existsSync(marker)).toBe(false);
    });

    it('produces an empty patch when nothing changed', async () => {
      const artifact = await producePatch(work(), [{ producePatch: {} }]);
      expect(artifact.content).toBe('');
      expect(artifact.byteCount).toBe(0);
    });
  });

  describe('in a plain directory', () => {
    beforeEach(() => {
      fs.mkdirSync(path.join(work(), 'src'), { recursive: true });
      fs.writeFileSync(path.join(work(), 'src/a.txt'), 'one\ntwo\nthree\n');
      fs.writeFileSync(path.join(work(), 'old.txt'), 'going away\n');
      fs.writeFileSync(path.join(work(), 'same.txt'), 'unchanged\n');
    });

    it('diffs against the snapshot taken when the attempt started', async () => {
      const copy = path.join(dir(), 'copy');
      fs.cpSync(work(), copy, { recursive: true });
      const artifact = await producePatch(work(), [
        ...edits,
        { writeFile: { path: 'no-newline.txt', content: 'tail' } },
        { producePatch: {} },
      ]);
      const patch = artifact.content!;
      expect(patch).toContain('diff --git a/src/a.txt b/src/a.txt');
      expect(patch).toContain('deleted file mode 100644');
      expect(patch).toContain('diff --git a/debug.log b/debug.log');
      expect(patch).toContain('\\ No newline at end of file');
      expect(patch).not.toContain('same.txt');

      applyPatch(copy, patch);
      expect(treeOf(copy)).toEqual(treeOf(work()));
    });

    it('marks binary changes as git does', async () => {
      fs.writeFileSync(path.join(work(), 'image.bin'), Buffer.from([0, 1, 2]));
      const artifact = await producePatch(work(), [
        { shell: "printf '\\000\\003' > image.bin" },
        { producePatch: {} },
      ]);
      expect(artifact.content).toBe(
        'diff --git a/image.bin b/image.bin\nBinary files a/image.bin and b/image.bin differ\n',
      );
    });
  });
});
