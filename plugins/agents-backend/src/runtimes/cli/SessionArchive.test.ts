import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TempDirs } from '../../__testUtils__/cliTestKit';
import { SessionArchive } from './SessionArchive';

describe('SessionArchive', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('keeps a session’s files between config folders, with metadata', async () => {
    const archive = new SessionArchive(temp.make('archive'));
    const first = temp.make('config');
    mkdirSync(path.join(first, 'projects', '-work-a', 's-1', 'subagents'), {
      recursive: true,
    });
    writeFileSync(
      path.join(first, 'projects', '-work-a', 's-1.jsonl'),
      'transcript',
    );
    writeFileSync(
      path.join(first, 'projects', '-work-a', 's-1', 'subagents', 'x.jsonl'),
      'sub',
    );
    writeFileSync(
      path.join(first, 'projects', '-work-a', 's-2.jsonl'),
      'other session',
    );

    const saved = await archive.save({
      runtime: 'claude-code',
      sessionId: 's-1',
      configDir: first,
      under: 'projects',
      meta: { usage: { inputTokens: 5 } },
    });
    const second = temp.make('config');
    const meta = await archive.restore({
      runtime: 'claude-code',
      sessionId: 's-1',
      configDir: second,
    });

    expect(saved).toBe(2);
    expect(meta).toEqual({ usage: { inputTokens: 5 } });
    expect(
      readFileSync(
        path.join(second, 'projects', '-work-a', 's-1.jsonl'),
        'utf8',
      ),
    ).toBe('transcript');
    expect(
      readFileSync(
        path.join(second, 'projects', '-work-a', 's-1', 'subagents', 'x.jsonl'),
        'utf8',
      ),
    ).toBe('sub');
    expect(() =>
      readFileSync(path.join(second, 'projects', '-work-a', 's-2.jsonl')),
    ).toThrow();
  });

  it('knows nothing of an unsaved session and refuses ids that are paths', async () => {
    const archive = new SessionArchive(temp.make('archive'));
    const config = temp.make('config');
    await expect(
      archive.save({
        runtime: 'codex',
        sessionId: 'none',
        configDir: config,
        under: 'sessions',
      }),
    ).resolves.toBe(0);
    await expect(
      archive.restore({
        runtime: 'codex',
        sessionId: 'none',
        configDir: config,
      }),
    ).resolves.toBeUndefined();
    await expect(
      archive.restore({
        runtime: 'codex',
        sessionId: '../../etc',
        configDir: config,
      }),
    ).rejects.toThrow(/Invalid session id/);
  });
});
