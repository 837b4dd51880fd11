import { mockServices } from '@backstage/backend-test-utils';
import { AUDIT_GENESIS_DIGEST } from '@krate/plugin-agents-common';
import knexFactory, { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { AgentsDatabase } from './AgentsDatabase';
import { AuditRecord, DatabaseAuditStore, NewAuditRecord } from './AuditStore';
import { toAuditRecord } from './auditRows';
import { DatabaseResourceStore } from './DatabaseResourceStore';
import { auditDigest } from './auditDigest';
import { verifyAuditChain } from './verifyAuditChain';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const change = (name: string, org = 'acme'): NewAuditRecord => ({
  actor: 'user:default/alice',
  action: 'update',
  target: { kind: 'AgentStack', namespace: org, name },
  beforeDigest: 'sha256:aaa',
  afterDigest: 'sha256:bbb',
});

describe.each(databases.eachSupportedId())('audit chain on %p', databaseId => {
  let knex: Knex;
  let audit: DatabaseAuditStore;

  beforeEach(async () => {
    const db = await AgentsDatabase.create({
      database: mockServices.database({
        knex: await databases.init(databaseId),
      }),
    });
    knex = db.knex;
    audit = new DatabaseAuditStore(knex);
  });

  /** The org's sealed records, in chain order. */
  async function chained(org = 'acme') {
    const rows = await knex('agents_audit_records')
      .where({ namespace: org })
      .whereNotNull('seq')
      .orderBy('seq');
    return rows.map(toAuditRecord);
  }

  /** Appends `count` records to the org and seals them; answers them in chain order. */
  async function appendMany(count: number, org = 'acme') {
    for (let i = 1; i <= count; i++) {
      await audit.append(change(`s${i}`, org));
    }
    await audit.seal(org);
    return chained(org);
  }

  const digestOf = (record: AuditRecord) =>
    auditDigest({
      ...record,
      seq: record.seq!,
      prevDigest: record.prevDigest!,
    });

  it('chains each org on its own once sealed: seq from 1, each record linked to the one before', async () => {
    const appended = await audit.append(change('a'));
    await audit.append(change('g', 'globex'));
    await audit.append(change('b'));
    expect(appended.seq).toBeUndefined();

    await expect(audit.sealAll()).resolves.toBe(3);
    await expect(audit.sealAll()).resolves.toBe(0);
    const [a1, a2] = await chained('acme');
    const [g1] = await chained('globex');
    expect([a1.seq, a2.seq, g1.seq]).toEqual([1, 2, 1]);
    expect(a1.id).toBe(appended.id);
    expect(a1.prevDigest).toBe(AUDIT_GENESIS_DIGEST);
    expect(g1.prevDigest).toBe(AUDIT_GENESIS_DIGEST);
    expect(a2.prevDigest).toBe(a1.digest);
    expect(a2.digest).toBe(digestOf(a2));
    expect(a2.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const [stored] = await audit.listForTarget({
      target: a2.target,
      limit: 1,
    });
    expect(stored).toEqual(a2);
    await expect(audit.verify('acme')).resolves.toEqual({
      org: 'acme',
      ok: true,
      records: 2,
      head: { seq: 2, digest: a2.digest },
    });
    await expect(audit.verify('globex')).resolves.toMatchObject({
      ok: true,
      records: 1,
    });
    await expect(audit.verify('initech')).resolves.toEqual({
      org: 'initech',
      ok: true,
      records: 0,
    });
  });

  it('joins the caller transaction: a rolled back change leaves no record and no head move', async () => {
    await audit.append(change('kept'));
    await expect(
      knex.transaction(async tx => {
        await audit.append(change('lost'), tx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await knex.transaction(tx => audit.append(change('next'), tx));

    await expect(audit.verify('acme')).resolves.toMatchObject({
      ok: true,
      records: 2,
    });
  });

  it('keeps one contiguous chain under 50 concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => audit.append(change(`c${i}`))),
    );

    await expect(audit.verify('acme')).resolves.toMatchObject({
      ok: true,
      records: 50,
    });
  });

  it('walks long chains a page at a time', async () => {
    await appendMany(7);
    await expect(verifyAuditChain(knex, 'acme', 3)).resolves.toMatchObject({
      ok: true,
      records: 7,
    });
    await knex('agents_audit_records')
      .where({ namespace: 'acme', seq: 7 })
      .update({ action: 'delete' });
    await expect(verifyAuditChain(knex, 'acme', 3)).resolves.toMatchObject({
      ok: false,
      brokenAt: { seq: 7, reason: 'digest-mismatch' },
    });
  });

  it('names the seq of a record edited in the database', async () => {
    const records = await appendMany(4);
    await knex('agents_audit_records')
      .where({ id: records[1].id })
      .update({ actor: 'user:default/mallory' });

    await expect(audit.verify('acme')).resolves.toEqual({
      org: 'acme',
      ok: false,
      brokenAt: {
        seq: 2,
        id: records[1].id,
        reason: 'digest-mismatch',
        message: `Record ${records[1].id} at seq 2 does not match its digest: the record was edited`,
      },
    });
  });

  it('finds an edit whose digest was recomputed at the next link', async () => {
    const records = await appendMany(3);
    const forged = { ...records[1], actor: 'user:default/mallory' };
    await knex('agents_audit_records')
      .where({ id: forged.id })
      .update({ actor: forged.actor, digest: digestOf(forged) });

    await expect(audit.verify('acme')).resolves.toMatchObject({
      ok: false,
      brokenAt: { seq: 3, id: records[2].id, reason: 'link-mismatch' },
    });
  });

  it('finds a record relinked to a forged one: the link is part of its digest', async () => {
    const records = await appendMany(3);
    const forged = { ...records[1], actor: 'user:default/mallory' };
    const forgedDigest = digestOf(forged);
    await knex('agents_audit_records')
      .where({ id: forged.id })
      .update({ actor: forged.actor, digest: forgedDigest });
    await knex('agents_audit_records')
      .where({ id: records[2].id })
      .update({ prev_digest: forgedDigest });

    await expect(audit.verify('acme')).resolves.toMatchObject({
      ok: false,
      brokenAt: { seq: 3, id: records[2].id, reason: 'digest-mismatch' },
    });
  });

  it('finds a deleted record, in the middle or at the end', async () => {
    const records = await appendMany(4);
    await knex('agents_audit_records').where({ id: records[3].id }).delete();
    await expect(audit.verify('acme')).resolves.toMatchObject({
      ok: false,
      brokenAt: { seq: 4, reason: 'missing-record' },
    });

    await knex('agents_audit_records').where({ id: records[1].id }).delete();
    const result = await audit.verify('acme');
    expect(result).toMatchObject({
      ok: false,
      brokenAt: { seq: 2, reason: 'missing-record' },
    });
    expect(result.ok === false && result.brokenAt.id).toBeUndefined();
  });

  it('finds a record written around the chain, past its head', async () => {
    const [first] = await appendMany(1);
    const forged = {
      ...first,
      seq: 2,
      prevDigest: first.digest,
      actor: 'user:default/mallory',
    };
    const [row] = await knex('agents_audit_records')
      .insert({
        namespace: 'acme',
        seq: 2,
        occurred_at: new Date(forged.occurredAt),
        actor: forged.actor,
        action: forged.action,
        kind: forged.target.kind,
        name: forged.target.name,
        before_digest: forged.beforeDigest,
        after_digest: forged.afterDigest,
        prev_digest: forged.prevDigest,
        digest: digestOf(forged),
      })
      .returning('id');

    await expect(audit.verify('acme')).resolves.toMatchObject({
      ok: false,
      brokenAt: {
        seq: 2,
        id: String(typeof row === 'object' ? row.id : row),
        reason: 'head-mismatch',
      },
    });
  });

  it('finds a head moved off its last record', async () => {
    await appendMany(2);
    await knex('agents_audit_chain_heads')
      .where({ namespace: 'acme' })
      .update({ digest: AUDIT_GENESIS_DIGEST });
    await expect(audit.verify('acme')).resolves.toMatchObject({
      ok: false,
      brokenAt: { seq: 2, reason: 'head-mismatch' },
    });
  });

  it('chains the records of resource writes, concurrent ones included', async () => {
    const store = new DatabaseResourceStore({ knex, audit });
    const stack = (name: string, namespace: string) => ({
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentStack',
      metadata: { name, namespace },
      spec: { runtime: 'scripted' },
    });
    await Promise.all(
      ['acme', 'globex'].flatMap(org =>
        Array.from({ length: 10 }, (_, i) =>
          store.create(stack(`s${i}`, org), { actor: 'user:default/alice' }),
        ),
      ),
    );
    await store.delete('AgentStack', 'acme', 's3', {
      actor: 'user:default/bob',
    });

    await expect(audit.verify('acme')).resolves.toMatchObject({
      ok: true,
      records: 11,
    });
    await expect(audit.verify('globex')).resolves.toMatchObject({
      ok: true,
      records: 10,
    });
  });

  if (databaseId.startsWith('POSTGRES')) {
    it('takes turns with another replica sealing the same org', async () => {
      const other = knexFactory({
        client: 'pg',
        connection: knex.client.config.connection,
        pool: { min: 0, max: 10 },
      });
      try {
        const replica = new DatabaseAuditStore(other);
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 ? replica : audit).append(change(`r${i}`, 'fresh-org')),
          ),
        );
        const sealed = await Promise.all([
          audit.seal('fresh-org'),
          replica.seal('fresh-org'),
        ]);
        expect(sealed[0] + sealed[1]).toBe(50);
        await expect(audit.verify('fresh-org')).resolves.toMatchObject({
          ok: true,
          records: 50,
        });
      } finally {
        await other.destroy();
      }
    });

    it('appends without waiting for another open write of the same org', async () => {
      const open = await knex.transaction();
      try {
        await audit.append(change('slow'), open);
        const meanwhile = audit.append(change('fast'));
        const waited = await Promise.race([
          meanwhile.then(() => false),
          new Promise(resolve => setTimeout(() => resolve(true), 2_000)),
        ]);
        expect(waited).toBe(false);
      } finally {
        await open.commit();
      }
      await expect(audit.verify('acme')).resolves.toMatchObject({
        ok: true,
        records: 2,
      });
    });
  }
});
