import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import express from 'express';
import { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { agentsPlugin } from '../plugin';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { HOSTILE_BODIES } from '../__testUtils__/hostileInput/hostileBodies';
import { HOSTILE_URLS } from '../__testUtils__/hostileInput/hostileUrls';
import {
  routesOf,
  RouteOfRouter,
} from '../__testUtils__/hostileInput/routesOf';
import { RawAnswer, sendRaw } from '../__testUtils__/hostileInput/sendRaw';

jest.setTimeout(180_000);

const databases = createTestDatabases();

/** Plausible values for path parameters, so a hostile body meets the route it names. */
const PLAUSIBLE: Record<string, string> = {
  plural: 'agentstacks',
  namespace: 'acme',
  org: 'acme',
};

function pathFor(route: RouteOfRouter, parameter?: string): string {
  return route.path.replace(
    /:(\w+)(\(([^)]*)\))?/g,
    (_match, name: string, _group, pattern?: string) =>
      parameter ?? PLAUSIBLE[name] ?? pattern?.split('|')[0] ?? 'x',
  );
}

/** An error answer carries a message for the caller and nothing of the server's insides. */
function expectCleanError(answer: RawAnswer, what: string) {
  if (!answer.contentType.startsWith('application/json')) return;
  const body = JSON.parse(answer.body);
  expect({ what, message: typeof body.error?.message }).toEqual({
    what,
    message: 'string',
  });
  expect({ what, stack: body.error.stack }).toEqual({ what, stack: undefined });
  expect({
    what,
    leak: /\n\s+at |node_modules|\/work\/|\.[jt]s:\d+/.test(answer.body),
  }).toEqual({
    what,
    leak: false,
  });
}

/** Row counts of every agents table but the leases, which live on their own. */
async function rowCounts(knex: Knex): Promise<Record<string, number>> {
  const tables = (await knex
    .select('table_name as name')
    .from('information_schema.tables')
    .where('table_name', 'like', 'agents_%')
    .catch(() =>
      knex
        .select('name')
        .from('sqlite_master')
        .where({ type: 'table' })
        .andWhere('name', 'like', 'agents_%'),
    )) as { name: string }[];
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    if (name.includes('lease')) continue;
    const [{ count }] = await knex(name).count({ count: '*' });
    counts[name] = Number(count);
  }
  return counts;
}

describe.each(databases.eachSupportedId())(
  'hostile input on %p',
  databaseId => {
    let server: Server;
    let base: URL;
    let knex: Knex;
    let routes: RouteOfRouter[];

    beforeAll(async () => {
      const { db } = await createTestStore(databases, databaseId);
      knex = db.knex;
      const httpRouter = mockServices.httpRouter.mock();
      await startTestBackend({
        features: [
          agentsPlugin,
          mockServices.database.factory({ knex }),
          httpRouter.factory,
        ],
      });
      const router = httpRouter.use.mock.calls.at(-1)![0] as express.Router;
      routes = routesOf(router);
      server = express().use('/api/agents', router).listen(0);
      base = new URL(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      );
    });

    afterAll(() => server?.close());

    it('finds every route of the router', () => {
      expect(routes.length).toBeGreaterThan(40);
      expect(routes).toContainEqual({ method: 'POST', path: '/apply' });
    });

    it('answers every hostile body on every route with a clean 4xx naming the problem, writing nothing', async () => {
      const before = await rowCounts(knex);
      let requests = 0;
      for (const hostile of HOSTILE_BODIES) {
        for (const route of routes) {
          const what = `${hostile.name} → ${route.method} ${route.path}`;
          const answer = await sendRaw(base, {
            method: route.method,
            path: `/api/agents${pathFor(route)}?namespace=acme`,
            headers: {
              'content-type': hostile.contentType,
              ...hostile.headers,
            },
            body: hostile.body,
          });
          requests++;
          // Only /apply reads YAML; a GET ignores a body it does not parse.
          const ignoresBody =
            route.method === 'GET' &&
            hostile.contentType === 'application/yaml';
          const refused = answer.status >= 400 && answer.status < 500;
          expect({ what, refused: refused || ignoresBody }).toEqual({
            what,
            refused: true,
          });
          expect({ what, failed: answer.status >= 500 }).toEqual({
            what,
            failed: false,
          });
          if (refused) expectCleanError(answer, what);
          // The webhook route reads its own body, after the endpoint and the signature.
          const parsesThisBody =
            route.path !== '/webhooks/:endpoint' &&
            (hostile.contentType === 'application/json' ||
              route.path === '/apply' ||
              hostile.status !== 400);
          const message = answer.contentType.startsWith('application/json')
            ? String(JSON.parse(answer.body).error?.message)
            : '';
          expect({
            what,
            status: answer.status,
            namesTheProblem: !parsesThisBody || hostile.message.test(message),
          }).toEqual({
            what,
            status: parsesThisBody ? hostile.status : answer.status,
            namesTheProblem: true,
          });
        }
      }
      expect(requests).toBe(HOSTILE_BODIES.length * routes.length);
      expect(await rowCounts(knex)).toEqual(before);
    });

    it('answers hostile parameters and queries on every route without a 500', async () => {
      const before = await rowCounts(knex);
      for (const hostile of HOSTILE_URLS) {
        for (const route of routes) {
          const what = `${hostile.name} → ${route.method} ${route.path}`;
          const answer = await sendRaw(base, {
            method: route.method,
            path: `/api/agents${pathFor(route, hostile.parameter)}?${
              hostile.query ?? 'namespace=acme'
            }`,
          });
          const failed = answer.status >= 500;
          expect({ what, status: !failed }).toEqual({
            what,
            status: true,
          });
          if (answer.status >= 400) expectCleanError(answer, what);
        }
      }
      expect(await rowCounts(knex)).toEqual(before);
    });

    it('applies none of a batch when one document is hostile', async () => {
      const good = [
        'apiVersion: agents.krate.dev/v1alpha1',
        'kind: AgentStack',
        'metadata: { name: good, namespace: acme }',
        'spec: { runtime: scripted }',
      ].join('\n');
      const answer = await sendRaw(base, {
        method: 'POST',
        path: '/api/agents/apply',
        headers: { 'content-type': 'application/yaml' },
        body: `${good}\n---\n${good
          .replace('good', 'bad')
          .replace(
            '{ runtime: scripted }',
            '&l { runtime: scripted, loop: *l }',
          )}\n`,
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error.message).toMatch(/contains itself/);
      expect(
        await knex('agents_config_objects').where({ name: 'good' }),
      ).toEqual([]);
    });
  },
);
