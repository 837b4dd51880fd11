import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const RULES =
  '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agenttriggerrules';

const stack = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name: 'nightly', namespace: 'acme' },
  spec: { runtime: 'scripted', script: { steps: [{ say: 'triaged' }] } },
};

const rule = (source: Record<string, unknown>, name = 'nightly-triage') => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentTriggerRule',
  metadata: { name, namespace: 'acme' },
  spec: { lifecycle: 'draft', source, stack: 'nightly' },
});

describe.each(databases.eachSupportedId())(
  'schedule trigger rules on %p',
  databaseId => {
    async function start() {
      const { db } = await createTestStore(databases, databaseId);
      const { server } = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleScriptedRuntime,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({ data: { agents: {} } }),
        ],
      });
      const applied = await request(server)
        .post('/api/agents/apply')
        .send(stack);
      expect(applied.status).toBe(200);
      return server;
    }

    it.each([
      [
        'no schedule',
        { events: ['schedule'] },
        'spec.source.schedule: is required when spec.source.events includes schedule',
      ],
      [
        'a cron that cannot be read',
        { events: ['schedule'], schedule: 'every day at nine' },
        "spec.source.schedule: 'every day at nine' has 4 fields",
      ],
      [
        'a cron with seconds',
        { events: ['schedule'], schedule: '*/10 * * * * *' },
        "spec.source.schedule: '*/10 * * * * *' has 6 fields",
      ],
      [
        'a bad field value',
        { events: ['schedule'], schedule: '0 25 * * *' },
        "spec.source.schedule: '0 25 * * *' is not a cron expression",
      ],
      [
        'a schedule that never fires',
        { events: ['schedule'], schedule: '0 0 31 2 *' },
        "spec.source.schedule: '0 0 31 2 *' never fires",
      ],
      [
        'an unknown time zone',
        {
          events: ['schedule'],
          schedule: '0 9 * * *',
          timeZone: 'Mars/Olympus',
        },
        "spec.source.timeZone: 'Mars/Olympus' is not an IANA time zone",
      ],
    ])(
      'refuses a schedule rule with %s (400 naming the field), writing nothing',
      async (_case, source, message) => {
        const server = await start();
        for (const write of [
          request(server).post('/api/agents/apply').send(rule(source)),
          request(server).post(RULES).send(rule(source)),
        ]) {
          const response = await write;
          expect(response.status).toBe(400);
          expect(response.body.error.message).toContain(message);
        }
        expect(
          (await request(server).get(`${RULES}/nightly-triage`)).status,
        ).toBe(404);
      },
    );

    it('refuses an update that breaks the schedule of a stored rule', async () => {
      const server = await start();
      const good = rule({ events: ['schedule'], schedule: '0 9 * * 1-5' });
      expect(
        (await request(server).post('/api/agents/apply').send(good)).status,
      ).toBe(200);
      const bad = rule({ events: ['schedule'], schedule: '0 9 * *' });
      const response = await request(server)
        .put(`${RULES}/nightly-triage`)
        .send(bad);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain('spec.source.schedule:');
      const stored = await request(server).get(`${RULES}/nightly-triage`);
      expect(stored.body.spec.source.schedule).toBe('0 9 * * 1-5');
    });

    it('answers a dry-run of a schedule rule with its next five firings', async () => {
      const server = await start();
      const applied = await request(server)
        .post('/api/agents/apply')
        .send(
          rule({
            events: ['schedule'],
            schedule: '30 9 * * *',
            timeZone: 'Asia/Kolkata',
          }),
        );
      expect(applied.status).toBe(200);
      const before = Date.now();
      const response = await request(server)
        .post('/api/agents/rules/nightly-triage/dry-run?namespace=acme')
        .send({
          source: 'schedule',
          event: {
            scheduledTime: '2026-03-02T04:00:00.000Z',
            rule: 'nightly-triage',
          },
        });
      expect(response.status).toBe(201);
      const firings: string[] = response.body.nextFirings;
      expect(firings).toHaveLength(5);
      // 09:30 in Kolkata (UTC+05:30) is 04:00 UTC, every day.
      firings.forEach(firing => expect(firing).toMatch(/T04:00:00\.000Z$/));
      const gaps = firings
        .slice(1)
        .map(
          (firing, index) => Date.parse(firing) - Date.parse(firings[index]),
        );
      expect(gaps).toEqual([1, 2, 3, 4].map(() => 24 * 3_600_000));
      expect(Date.parse(firings[0])).toBeGreaterThan(before);
      expect(Date.parse(firings[0]) - before).toBeLessThanOrEqual(
        24 * 3_600_000,
      );
      expect(response.body).toMatchObject({
        matched: true,
        outcome: 'dispatched',
        run: { source: { kind: 'schedule', name: 'nightly-triage' } },
      });
    });

    it('answers a dry-run of a rule without schedule events with no firings', async () => {
      const server = await start();
      await request(server)
        .post('/api/agents/apply')
        .send(rule({ events: ['issue'] }, 'issues'));
      const response = await request(server)
        .post('/api/agents/rules/issues/dry-run?namespace=acme')
        .send({ source: 'issue', event: { action: 'opened' } });
      expect(response.status).toBe(201);
      expect(response.body.nextFirings).toBeUndefined();
    });
  },
);
