import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMemoryRepository } from '../../__testUtils__/memoryRepository';
import { MemoryService } from '../MemoryService';
import { StaleRecords } from './StaleRecords';

describe('StaleRecords', () => {
  let memoryRepository: ReturnType<typeof createMemoryRepository>;
  let source: string;
  let located: string[];

  const commitSource = (file: string, date: string) => {
    mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
    writeFileSync(path.join(source, file), `${date}\n`);
    const run = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: source,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'T',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 'T',
          GIT_COMMITTER_EMAIL: 't@example.com',
          GIT_AUTHOR_DATE: date,
          GIT_COMMITTER_DATE: date,
        },
      }).trim();
    run('add', '--all');
    run('commit', '-q', '-m', `change ${file}`);
    return run('rev-parse', 'HEAD');
  };

  beforeEach(() => {
    memoryRepository = createMemoryRepository();
    source = mkdtempSync(path.join(tmpdir(), 'krate-stale-source-'));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: source });
    located = [];
  });
  afterEach(() => {
    memoryRepository.remove();
    rmSync(source, { recursive: true, force: true });
  });

  function service() {
    const stale = new StaleRecords(async name => {
      located.push(name);
      return name === 'acme/payments-api'
        ? { path: source, branch: 'HEAD' }
        : undefined;
    });
    return new MemoryService(
      [{ org: 'acme', repositoryPath: memoryRepository.path }],
      { staleRecords: stale },
    );
  }

  it('marks a record stale once its source has a commit after the reviewed day, and only then', async () => {
    commitSource('src/index.js', '2026-11-02T23:00:00Z');
    const memory = service();
    const before = await memory.status('acme');
    expect(before.stale).toEqual([]);

    const change = commitSource('src/index.js', '2026-11-03T08:00:00Z');
    const after = await memory.status('acme');
    expect(after.stale).toEqual([
      {
        id: 'services/payments-api',
        path: 'services/payments-api.md',
        reviewed: '2026-11-02',
        source: 'acme/payments-api/src/index.js',
        changedAt: '2026-11-03T08:00:00.000Z',
        changeCommit: change,
      },
    ]);

    // A commit touching another file changes the head but not the answer.
    commitSource('README.md', '2026-11-04T08:00:00Z');
    expect((await memory.status('acme')).stale).toEqual(after.stale);

    // Reviewed again after the change: no longer stale.
    memoryRepository.commit('2026-12-02T10:00:00Z', {
      'services/payments-api.md': `---
kind: service
owner: group:default/payments
sources: [acme/payments-api/src/index.js]
reviewed: 2026-11-05
---
# payments-api
`,
    });
    expect((await memory.status('acme')).stale).toEqual([]);
  });

  it('reports sources it cannot read as unknown, never as an error', async () => {
    memoryRepository.commit('2026-12-02T10:00:00Z', {
      'services/ledger.md': `---
kind: service
owner: group:default/payments
sources: [acme/ledger/src/book.js, https://example.com/x, acme/payments-api/src/missing.js]
reviewed: 2026-11-05
---
# ledger
`,
    });
    commitSource('src/index.js', '2026-11-01T08:00:00Z');
    const status = await service().status('acme');
    expect(status.stale).toEqual([]);
    // payments-api's other source (src/rounding.js) has no commit here either; ledger's are these.
    expect(
      (status.unknownSources ?? []).filter(
        unknown => unknown.id === 'services/ledger',
      ),
    ).toEqual([
      {
        id: 'services/ledger',
        path: 'services/ledger.md',
        source: 'acme/ledger/src/book.js',
        reason: 'acme/ledger is not a repository this backend knows',
      },
      {
        id: 'services/ledger',
        path: 'services/ledger.md',
        source: 'https://example.com/x',
        reason: 'not <org>/<repository>/<path>',
      },
      {
        id: 'services/ledger',
        path: 'services/ledger.md',
        source: 'acme/payments-api/src/missing.js',
        reason: 'no commit of acme/payments-api touches src/missing.js',
      },
    ]);
  });

  it('keeps its answer per memory commit and source heads', async () => {
    commitSource('src/index.js', '2026-11-03T08:00:00Z');
    const memory = service();
    const { snapshot } = await memory.snapshot('acme');
    const first = await memory.staleOf('acme', snapshot);
    expect(await memory.staleOf('acme', snapshot)).toBe(first);
    commitSource('src/index.js', '2026-11-04T08:00:00Z');
    const moved = await memory.staleOf('acme', snapshot);
    expect(moved).not.toBe(first);
    expect(moved.stale[0].changedAt).toBe('2026-11-04T08:00:00.000Z');
  });
});
