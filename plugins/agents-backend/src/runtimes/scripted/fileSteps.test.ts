import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordingHost } from '../../__testUtils__/recordingHost';
import { ScriptedRuntime } from './ScriptedRuntime';
import {
  scriptedLaunch,
  useTempDir,
} from '../../__testUtils__/scriptedTestKit';

const runtime = new ScriptedRuntime();

describe('ScriptedRuntime file steps', () => {
  const dir = useTempDir();
  const file = (name: string) => path.join(dir(), name);

  it('reads a workspace file', async () => {
    fs.mkdirSync(file('src'));
    fs.writeFileSync(file('src/app.ts'), 'export const answer = 42;\n');
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), { steps: [{ readFile: 'src/../src/app.ts' }] }),
      host,
    );
    expect(outcome.phase).toBe('Succeeded');
    expect(host.requests).toEqual([
      {
        actionClass: 'tool',
        toolName: 'Read',
        target: 'src/app.ts',
        interactionId: 'scripted-step-0',
      },
    ]);
    expect(host.ofType('tool_call')[0]).toMatchObject({
      toolName: 'Read',
      input: { path: 'src/app.ts' },
    });
    expect(host.ofType('file_read')).toEqual([
      { type: 'file_read', path: 'src/app.ts' },
    ]);
    expect(host.ofType('tool_result')[0].output).toEqual({
      byteCount: 26,
      content: 'export const answer = 42;\n',
      truncated: false,
    });
  });

  it('fails ToolFailed when the file to read is missing', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), { steps: [{ readFile: 'nope.txt' }] }),
      host,
    );
    expect(outcome).toEqual({
      phase: 'Failed',
      reason: 'ToolFailed',
      message: 'Cannot read nope.txt: ENOENT',
    });
    expect(host.ofType('tool_result')[0].isError).toBe(true);
    expect(host.ofType('file_read')).toEqual([]);
  });

  it('creates, then overwrites a file, making parent directories', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), {
        steps: [
          { writeFile: { path: 'docs/notes.md', content: 'first\n' } },
          { writeFile: { path: 'docs/notes.md', content: 'second, é\n' } },
        ],
      }),
      host,
    );
    expect(outcome.phase).toBe('Succeeded');
    expect(fs.readFileSync(file('docs/notes.md'), 'utf8')).toBe('second, é\n');
    expect(host.ofType('file_change')).toEqual([
      {
        type: 'file_change',
        path: 'docs/notes.md',
        change: 'create',
        byteCount: 6,
      },
      {
        type: 'file_change',
        path: 'docs/notes.md',
        change: 'write',
        byteCount: 11,
      },
    ]);
    expect(host.requests.map(r => [r.toolName, r.target])).toEqual([
      ['Write', 'docs/notes.md'],
      ['Write', 'docs/notes.md'],
    ]);
  });

  it('patches a file and reports a unified diff', async () => {
    fs.writeFileSync(file('config.txt'), 'a\nb\nretries = 1\nc\n$&\n');
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), {
        steps: [
          {
            patchFile: {
              path: 'config.txt',
              find: 'retries = 1',
              replace: 'retries = $&3',
            },
          },
        ],
      }),
      host,
    );
    expect(outcome.phase).toBe('Succeeded');
    expect(fs.readFileSync(file('config.txt'), 'utf8')).toBe(
      'a\nb\nretries = $&3\nc\n$&\n',
    );
    const change = host.ofType('file_change')[0];
    expect(change).toMatchObject({ path: 'config.txt', change: 'patch' });
    expect(change.diff).toBe(
      [
        'diff --git a/config.txt b/config.txt',
        '--- a/config.txt',
        '+++ b/config.txt',
        '@@ -1,5 +1,5 @@',
        ' a',
        ' b',
        '-retries = 1',
        '+retries = $&3',
        ' c',
        ' $&',
        '',
      ].join('\n'),
    );
    expect(host.requests[0]).toMatchObject({
      toolName: 'Edit',
      target: 'config.txt',
    });
  });

  it('fails ToolFailed when the text to replace is absent', async () => {
    fs.writeFileSync(file('config.txt'), 'retries = 1\n');
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), {
        steps: [
          {
            patchFile: { path: 'config.txt', find: 'timeout', replace: 'x' },
          },
        ],
      }),
      host,
    );
    expect(outcome.reason).toBe('ToolFailed');
    expect(host.ofType('tool_result')[0]).toMatchObject({
      toolName: 'Edit',
      isError: true,
      output: 'config.txt does not contain the text to replace',
    });
    expect(host.ofType('file_change')).toEqual([]);
    expect(fs.readFileSync(file('config.txt'), 'utf8')).toBe('retries = 1\n');
  });

  describe('paths outside the workspace', () => {
    let outside: string;
    beforeEach(() => {
      outside = fs.mkdtempSync(path.join(os.tmpdir(), 'agents-outside-'));
      fs.writeFileSync(path.join(outside, 'secret.txt'), 'top secret\n');
    });
    afterEach(() => fs.rmSync(outside, { recursive: true, force: true }));

    async function refused(step: Record<string, unknown>) {
      const host = new RecordingHost();
      const outcome = await runtime.run(
        scriptedLaunch(dir(), { steps: [step] }),
        host,
      );
      expect(outcome.phase).toBe('Failed');
      expect(outcome.reason).toBe('PathOutsideWorkspace');
      expect(host.ofType('error')[0].code).toBe('PathOutsideWorkspace');
      expect(host.requests).toEqual([]);
      expect(host.ofType('tool_call')).toEqual([]);
      return host;
    }

    it('refuses a .. escape', async () => {
      await refused({ writeFile: { path: '../x', content: 'x' } });
      expect(fs.existsSync(path.join(path.dirname(dir()), 'x'))).toBe(false);
      await refused({ readFile: 'sub/../../x' });
    });

    it('refuses absolute paths, even into the workspace', async () => {
      fs.writeFileSync(file('inside.txt'), 'in');
      for (const absolute of [
        path.join(outside, 'secret.txt'),
        file('inside.txt'),
      ]) {
        const host = await refused({ readFile: absolute });
        expect(host.ofType('error')[0].message).toBe(
          `'${absolute}' is not a workspace-relative path`,
        );
      }
    });

    it('refuses a symlink that points outside', async () => {
      fs.symlinkSync(outside, file('link'));
      fs.symlinkSync(path.join(outside, 'secret.txt'), file('secret-link'));
      const host = await refused({ readFile: 'link/secret.txt' });
      expect(JSON.stringify(host.events)).not.toContain('top secret');
      await refused({ readFile: 'secret-link' });
      await refused({
        patchFile: { path: 'secret-link', find: 'top', replace: 'no' },
      });
      await refused({ writeFile: { path: 'link/new.txt', content: 'x' } });
      expect(fs.existsSync(path.join(outside, 'new.txt'))).toBe(false);
      expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe(
        'top secret\n',
      );
    });

    it('refuses writing through a dangling symlink that points outside', async () => {
      fs.symlinkSync(path.join(outside, 'planted.txt'), file('dangling'));
      await refused({ writeFile: { path: 'dangling', content: 'x' } });
      expect(fs.existsSync(path.join(outside, 'planted.txt'))).toBe(false);
    });

    it('judges a symlink inside the workspace by the file it leads to', async () => {
      fs.writeFileSync(file('.env'), 'TOKEN=1\n');
      fs.symlinkSync('.env', file('innocent.txt'));
      const host = new RecordingHost(request =>
        request.target === '.env'
          ? { decision: 'deny', reason: '.env is off limits' }
          : { decision: 'allow', reason: 'ok' },
      );
      const outcome = await runtime.run(
        scriptedLaunch(dir(), { steps: [{ readFile: 'innocent.txt' }] }),
        host,
      );
      expect(outcome.reason).toBe('PolicyDenied');
      expect(host.requests[0].target).toBe('.env');
    });
  });

  it('goes on after a denied write when onDenied is continue', async () => {
    const host = new RecordingHost(request =>
      request.toolName === 'Write'
        ? { decision: 'deny', reason: 'read-only profile' }
        : { decision: 'allow', reason: 'ok' },
    );
    const outcome = await runtime.run(
      scriptedLaunch(dir(), {
        steps: [
          {
            writeFile: { path: 'a.txt', content: 'a' },
            onDenied: 'continue',
          },
          { say: 'carried on' },
        ],
      }),
      host,
    );
    expect(outcome.phase).toBe('Succeeded');
    expect(fs.existsSync(file('a.txt'))).toBe(false);
    expect(host.ofType('tool_result')[0]).toMatchObject({
      toolName: 'Write',
      isError: true,
      output: 'read-only profile',
    });
    expect(host.ofType('text').map(e => e.text)).toEqual(['carried on']);
  });
});
