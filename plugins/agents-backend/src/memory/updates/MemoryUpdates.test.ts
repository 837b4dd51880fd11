import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createMemoryRepository } from '../../__testUtils__/memoryRepository';
import { createTestStore } from '../../__testUtils__/createTestStore';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { ResourceStore } from '../../resources/ResourceStore';
import { MemoryService } from '../MemoryService';
import { searchMemory } from '../searchMemory';
import { fallbackIdentity } from './commitIdentities';
import { MemoryUpdates } from './MemoryUpdates';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const alice = 'user:default/alice';
const bob = 'user:default/bob';
const carol = 'user:default/carol';
const LEDGER = `---
kind: service
owner: group:default/platform
tier: critical
---

# ledger

The book of record for money movements. Append-only; corrections are new entries, never edits.
`;

describe.each(databases.eachSupportedId())('memory updates on %p', id => {
  let store: ResourceStore;
  let repository: ReturnType<typeof createMemoryRepository>;
  let memory: MemoryService;

  beforeAll(async () => {
    store = (await createTestStore(databases, id)).store;
  });
  beforeEach(() => {
    repository = createMemoryRepository();
    memory = new MemoryService([
      { org: 'acme', repositoryPath: repository.path },
    ]);
  });
  afterEach(() => repository.remove());

  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repository.path,
      encoding: 'utf8',
    }).trim();

  function updatesWith(
    options: { allowSelfReview?: boolean; store?: ResourceStore } = {},
  ) {
    return new MemoryUpdates({
      store: options.store ?? store,
      memory,
      identities: async ref =>
        ref === bob
          ? { name: 'Bob Builder', email: 'bob@acme.test' }
          : fallbackIdentity(ref),
      allowSelfReview: options.allowSelfReview,
    });
  }

  const proposeLedgerNote = (updates: MemoryUpdates, by = alice) =>
    updates.propose({
      org: 'acme',
      title: 'Ledger: note on corrections',
      changes: [
        {
          path: 'services/ledger.md',
          content: `${LEDGER}\nCorrections reference the entry they correct.\n`,
        },
        {
          path: 'glossary/correction.md',
          content:
            '# correction\n\nA new ledger entry that reverses an old one.\n',
        },
      ],
      source: { kind: 'user' },
      proposedBy: by,
    });

  it('proposes whole files as a git patch against the head, and the same patch as a patch', async () => {
    const updates = updatesWith();
    const update = await proposeLedgerNote(updates);
    expect(update.metadata.namespace).toBe('acme');
    expect(update.spec).toMatchObject({
      baseCommit: repository.first,
      files: [
        { path: 'glossary/correction.md', change: 'added' },
        { path: 'services/ledger.md', change: 'modified' },
      ],
      source: { kind: 'user' },
      proposedBy: alice,
    });
    expect(update.spec.patch).toContain('diff --git a/services/ledger.md');
    expect(update.spec.patch).toContain(
      '+Corrections reference the entry they correct.',
    );
    expect(update.status).toMatchObject({
      phase: 'Proposed',
      validation: { valid: true, commit: repository.first, issues: [] },
    });
    expect(
      await store.get('AgentMemoryUpdate', 'acme', update.metadata.name),
    ).toBeDefined();

    const again = await updates.propose({
      org: 'acme',
      title: 'The same as a patch',
      patch: update.spec.patch,
      source: { kind: 'user' },
      proposedBy: alice,
    });
    expect(again.spec.files).toEqual(update.spec.files);
    expect(again.spec.patch).toBe(update.spec.patch);

    const removal = await updates.propose({
      org: 'acme',
      title: 'Drop the ledger',
      changes: [{ path: 'services/ledger.md', content: null }],
      source: { kind: 'user' },
      proposedBy: alice,
    });
    expect(removal.spec.files).toEqual([
      { path: 'services/ledger.md', change: 'deleted' },
    ]);
    // Records linking to the ledger now point at nothing: the removal is reported, not approvable.
    expect(removal.status?.validation?.valid).toBe(false);
  });

  it('refuses a change that changes nothing and a patch that does not apply, naming the field', async () => {
    const updates = updatesWith();
    const unchanged = updates.propose({
      org: 'acme',
      title: 'Nothing',
      changes: [{ path: 'services/ledger.md', content: LEDGER }],
      source: { kind: 'user' },
      proposedBy: alice,
    });
    await expect(unchanged).rejects.toThrow(InputError);
    await expect(unchanged).rejects.toThrow(/^changes: changes nothing at/);
    const broken = updates.propose({
      org: 'acme',
      title: 'Broken',
      patch:
        'diff --git a/services/ledger.md b/services/ledger.md\n--- a/services/ledger.md\n+++ b/services/ledger.md\n@@ -1,3 +1,3 @@\n-nothing like this\n+at all\n',
      source: { kind: 'user' },
      proposedBy: alice,
    });
    await expect(broken).rejects.toThrow(
      /^patch: does not apply to [0-9a-f]{40}/,
    );
    await expect(
      updates.propose({
        org: 'acme',
        title: 'Old base',
        baseCommit: 'f'.repeat(40),
        changes: [{ path: 'a.md', content: '# a\n' }],
        source: { kind: 'user' },
        proposedBy: alice,
      }),
    ).rejects.toThrow(`baseCommit: the memory has no commit ${'f'.repeat(40)}`);
  });

  it('reports the ontology issues a change introduces, with file and field, and not those already there', async () => {
    const base = repository.commit('2026-12-02T10:00:00Z', {
      'decisions/0003-broken.md':
        '---\nkind: decision\nstatus: maybe\n---\n# 0003 Already broken\n',
    });
    const updates = updatesWith();
    const update = await updates.propose({
      org: 'acme',
      title: 'A service without owner',
      changes: [
        {
          path: 'services/fraud-check.md',
          content:
            '---\nkind: service\nedges:\n  depends-on: [services/nowhere]\n---\n# fraud-check\n',
        },
        {
          path: 'decisions/0003-broken.md',
          content:
            '---\nkind: decision\nstatus: maybe\n---\n# 0003 Already broken\n\nStill.\n',
        },
      ],
      source: { kind: 'user' },
      proposedBy: alice,
    });
    expect(update.status?.validation).toEqual({
      valid: false,
      commit: base,
      issues: [
        {
          file: 'services/fraud-check.md',
          field: 'owner',
          message: expect.any(String),
        },
        {
          file: 'services/fraud-check.md',
          field: 'edges.depends-on[0]',
          message: expect.stringContaining('services/nowhere'),
        },
      ],
    });
    await expect(
      updates.review({
        org: 'acme',
        name: update.metadata.name,
        reviewer: bob,
        decision: 'approve',
      }),
    ).rejects.toThrow(
      new ConflictError(
        `acme/${update.metadata.name} cannot be approved: its validation found 2 ontology issue(s); propose a corrected change`,
      ),
    );
  });

  it('keeps proposers from approving their own change unless configured, and decided proposals from more reviews', async () => {
    const updates = updatesWith();
    const update = await proposeLedgerNote(updates);
    const ref = { org: 'acme', name: update.metadata.name };
    await expect(
      updates.review({ ...ref, reviewer: alice, decision: 'approve' }),
    ).rejects.toThrow(NotAllowedError);
    const selfReviewed = await updatesWith({ allowSelfReview: true }).review({
      ...ref,
      reviewer: alice,
      decision: 'approve',
      comment: 'fine by me',
    });
    expect(selfReviewed.status?.phase).toBe('Approved');

    const rejected = await updates.review({
      ...ref,
      reviewer: bob,
      decision: 'reject',
      comment: 'not needed',
    });
    expect(rejected.status).toMatchObject({
      phase: 'Rejected',
      reviews: [
        { reviewer: alice, decision: 'approved', comment: 'fine by me' },
        { reviewer: bob, decision: 'rejected', comment: 'not needed' },
      ],
    });
    await expect(
      updates.review({ ...ref, reviewer: carol, decision: 'approve' }),
    ).rejects.toThrow(ConflictError);
    await expect(updates.merge({ ...ref, mergedBy: carol })).rejects.toThrow(
      /is Rejected; only an approved proposal can be merged/,
    );
  });

  it('keeps both of two reviews made at once', async () => {
    const updates = updatesWith();
    const update = await proposeLedgerNote(updates);
    const ref = { org: 'acme', name: update.metadata.name };
    await Promise.all([
      updates.review({ ...ref, reviewer: bob, decision: 'approve' }),
      updates.review({ ...ref, reviewer: carol, decision: 'approve' }),
    ]);
    const reviewed = await updates.get('acme', ref.name);
    expect(reviewed.status?.reviews?.map(r => r.reviewer).sort()).toEqual([
      bob,
      carol,
    ]);
  });

  it('merges as a commit authored by the approver on the head, without touching the work tree; reads at current see it', async () => {
    const updates = updatesWith();
    const update = await proposeLedgerNote(updates);
    const ref = { org: 'acme', name: update.metadata.name };
    await updates.review({ ...ref, reviewer: bob, decision: 'approve' });
    const merged = await updates.merge({ ...ref, mergedBy: carol });
    const commit = merged.status!.mergedCommit!;
    expect(merged.status).toMatchObject({
      phase: 'Merged',
      mergedCommit: expect.stringMatching(/^[0-9a-f]{40}$/),
      mergedBy: carol,
      mergeTime: expect.any(String),
    });
    expect(git('rev-parse', 'main')).toBe(commit);
    expect(git('log', '-1', '--format=%P|%an <%ae>|%cn <%ce>', commit)).toBe(
      `${repository.first}|Bob Builder <bob@acme.test>|carol <carol@users.noreply.krate.local>`,
    );
    expect(git('log', '-1', '--format=%B', commit)).toBe(
      [
        'Ledger: note on corrections',
        '',
        `Krate-Memory-Update: acme/${ref.name}`,
        `Reviewed-by: ${bob}`,
      ].join('\n'),
    );
    // The work tree and its index stay as they were.
    expect(
      readFileSync(path.join(repository.path, 'services/ledger.md'), 'utf8'),
    ).toBe(LEDGER);
    expect(git('ls-files', 'glossary/correction.md')).toBe('');

    const { resolved, snapshot } = await memory.snapshot('acme');
    expect(resolved.commit).toBe(commit);
    expect(snapshot.records.get('glossary/correction')?.title).toBe(
      'correction',
    );
    const found = await searchMemory(
      memory.git('acme'),
      snapshot,
      { ownershipRefs: [] },
      {
        pattern: 'reverses an old one',
        limit: 5,
      },
    );
    expect(found.results.map(r => r.citation)).toEqual([
      `glossary/correction.md@${commit}#L3`,
    ]);
    await expect(updates.merge({ ...ref, mergedBy: carol })).rejects.toThrow(
      `acme/${ref.name} is merged already, as ${commit}`,
    );
  });

  it('merges onto a head that moved elsewhere, and marks Conflict when the head changed the same lines', async () => {
    const updates = updatesWith();
    const far = await proposeLedgerNote(updates);
    const near = await updates.propose({
      org: 'acme',
      title: 'Ledger tier',
      changes: [
        {
          path: 'services/ledger.md',
          content: LEDGER.replace('tier: critical', 'tier: gold'),
        },
      ],
      source: { kind: 'user' },
      proposedBy: alice,
    });
    const moved = repository.commit('2026-12-02T10:00:00Z', {
      'services/ledger.md': LEDGER.replace('tier: critical', 'tier: platinum'),
    });
    for (const update of [far, near]) {
      await updates.review({
        org: 'acme',
        name: update.metadata.name,
        reviewer: bob,
        decision: 'approve',
      });
    }
    const conflict = await updates.merge({
      org: 'acme',
      name: near.metadata.name,
      mergedBy: carol,
    });
    expect(conflict.status?.phase).toBe('Conflict');
    expect(conflict.status?.message).toMatch(
      new RegExp(
        `^The change to services/ledger.md no longer applies to main at ${moved}`,
      ),
    );
    expect(git('rev-parse', 'main')).toBe(moved);

    const merged = await updates.merge({
      org: 'acme',
      name: far.metadata.name,
      mergedBy: carol,
    });
    expect(merged.status?.phase).toBe('Merged');
    const text = git(
      'show',
      `${merged.status!.mergedCommit}:services/ledger.md`,
    );
    expect(text).toContain('tier: platinum');
    expect(text).toContain('Corrections reference the entry they correct.');
    expect(git('rev-parse', `${merged.status!.mergedCommit}^`)).toBe(moved);
  });

  it('records the commit of a merge whose status write was lost, instead of committing twice', async () => {
    let crash = true;
    const crashing = new Proxy(store, {
      get(target, property) {
        if (property === 'patchStatus' && crash) {
          return async (...args: Parameters<ResourceStore['patchStatus']>) => {
            const [, change] = args;
            const next = change({ phase: 'Approved' });
            if (next.phase === 'Merged') {
              crash = false;
              throw new Error('the backend stopped');
            }
            return target.patchStatus(...args);
          };
        }
        const value = (target as any)[property];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const updates = updatesWith({ store: crashing });
    const update = await proposeLedgerNote(updates);
    const ref = { org: 'acme', name: update.metadata.name };
    await updates.review({ ...ref, reviewer: bob, decision: 'approve' });
    await expect(updates.merge({ ...ref, mergedBy: carol })).rejects.toThrow(
      'the backend stopped',
    );
    const landed = git('rev-parse', 'main');
    expect(landed).not.toBe(repository.first);
    expect((await updates.get('acme', ref.name)).status?.phase).toBe(
      'Approved',
    );

    const retried = await updates.merge({ ...ref, mergedBy: carol });
    expect(retried.status).toMatchObject({
      phase: 'Merged',
      mergedCommit: landed,
    });
    expect(git('rev-parse', 'main')).toBe(landed);
    expect(git('rev-list', '--count', `${repository.first}..main`)).toBe('1');
  });

  it('merges two approved proposals at once, one after the other on the branch', async () => {
    const updates = updatesWith();
    const first = await proposeLedgerNote(updates);
    const second = await updates.propose({
      org: 'acme',
      title: 'Glossary: chargeback',
      changes: [
        {
          path: 'glossary/chargeback.md',
          content: '# chargeback\n\nA reversed card payment.\n',
        },
      ],
      source: { kind: 'run', run: 'scribe-abc', attempt: 'scribe-abc-1' },
      proposedBy: alice,
    });
    for (const update of [first, second]) {
      await updates.review({
        org: 'acme',
        name: update.metadata.name,
        reviewer: bob,
        decision: 'approve',
      });
    }
    const merged = await Promise.all(
      [first, second].map(update =>
        updates.merge({
          org: 'acme',
          name: update.metadata.name,
          mergedBy: carol,
        }),
      ),
    );
    expect(merged.map(u => u.status?.phase)).toEqual(['Merged', 'Merged']);
    expect(git('rev-list', '--count', `${repository.first}..main`)).toBe('2');
    expect(
      git('log', '-1', '--format=%B', merged[1].status!.mergedCommit!),
    ).toContain('Krate-Source-Run: scribe-abc');
  });

  it('withholds a proposal touching a team-scoped record from readers outside the team', async () => {
    const updates = updatesWith();
    const incident = await updates.propose({
      org: 'acme',
      title: 'Incident follow-up',
      changes: [
        {
          path: 'incidents/2026-11-payments-timeouts.md',
          content: `${readFileSync(
            path.join(
              repository.path,
              'incidents/2026-11-payments-timeouts.md',
            ),
            'utf8',
          )}\nFollow-up: budgets are enforced since December.\n`,
        },
      ],
      source: { kind: 'user' },
      proposedBy: alice,
    });
    await proposeLedgerNote(updates);
    const outsider = await updates.list(
      'acme',
      { ownershipRefs: [alice] },
      { limit: 50 },
    );
    expect(outsider.withheld).toBe(1);
    expect(outsider.items.map(u => u.metadata.name)).not.toContain(
      incident.metadata.name,
    );
    const member = await updates.list(
      'acme',
      { ownershipRefs: [alice, 'group:default/payments'] },
      { limit: 50 },
    );
    expect(member.withheld).toBe(0);
    expect(member.items.map(u => u.metadata.name)).toContain(
      incident.metadata.name,
    );
    await expect(
      updates.propose({
        org: 'acme',
        title: 'Peek',
        changes: [
          {
            path: 'incidents/2026-11-payments-timeouts.md',
            content: '# mine now\n',
          },
        ],
        source: { kind: 'user' },
        proposedBy: alice,
        reader: { ownershipRefs: [alice] },
      }),
    ).rejects.toThrow(NotAllowedError);
  });

  it('works on a bare repository', async () => {
    const bare = `${repository.path}-bare.git`;
    execFileSync('git', ['clone', '--quiet', '--bare', repository.path, bare]);
    try {
      memory = new MemoryService([{ org: 'acme', repositoryPath: bare }]);
      const updates = updatesWith();
      const update = await proposeLedgerNote(updates);
      const ref = { org: 'acme', name: update.metadata.name };
      await updates.review({ ...ref, reviewer: bob, decision: 'approve' });
      const merged = await updates.merge({ ...ref, mergedBy: carol });
      expect(merged.status?.phase).toBe('Merged');
      expect(
        execFileSync('git', ['rev-parse', 'main'], {
          cwd: bare,
          encoding: 'utf8',
        }).trim(),
      ).toBe(merged.status!.mergedCommit);
    } finally {
      execFileSync('rm', ['-rf', bare]);
    }
  });
});
