/*
 * Run-list benchmark: the runs page's query through the agents API against the same query issued
 * directly through knex, in one process, on one database.
 *
 *   bench/run.sh run-list --dialect pg --rows 1000000
 *   bench/run.sh run-list --dialect sqlite --rows 100000
 *
 * Loads N AgentDispatchRun rows (10 orgs × 8 repositories × 6 phases, 7 s apart; N ≥ 96,000 so
 * every filter matches the 200 runs of four pages), starts a real Backstage backend with the auth
 * backend (guest sign-in), the permission backend (allow-all policy) and the agents plugin, signs in
 * as a guest the way the app does, then times `GET /api/agents/runs?namespace&repository&phase&limit=50`
 * followed by the next three pages via `continue` — once over HTTP, once as the same page queries
 * through knex.
 */
import { createBackend } from '@backstage/backend-defaults';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { Knex } from 'knex';
import { DatabaseAuditStore } from '../plugins/agents-backend/src/database/AuditStore';
import { DatabaseResourceStore } from '../plugins/agents-backend/src/database/DatabaseResourceStore';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
}
const dialect = (args.get('dialect') ?? 'sqlite') as 'pg' | 'sqlite';
const rows = Number(
  args.get('rows') ?? (dialect === 'pg' ? 1_000_000 : 100_000),
);
const samples = Number(args.get('samples') ?? 200);
const pgUrl =
  args.get('pg') ??
  process.env.KRATE_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
const port = Number(args.get('port') ?? 7099);
const permissionEnabled = args.get('permission') !== 'off';
const reuse = args.get('reuse') === 'yes';
// The runs page calls as a signed-in user; `--caller service` uses a static service token instead.
const caller = (args.get('caller') ?? 'user') as 'user' | 'service';
const serviceToken = `bench-${Math.random()
  .toString(36)
  .slice(2)}-${Date.now()}`;
let token = serviceToken;
const PAGES = 4;
const PAGE_SIZE = 50;
const TABLE = 'agents_dispatch_runs';

const dataDir = mkdtempSync(join(tmpdir(), 'krate-bench-'));
const pgDatabase = 'krate_bench_agents';

function backendConfig() {
  const database =
    dialect === 'pg'
      ? { client: 'pg', connection: pgUrl, prefix: 'krate_bench_' }
      : { client: 'better-sqlite3', connection: { directory: dataDir } };
  const file = join(dataDir, 'bench-config.json');
  writeFileSync(
    file,
    JSON.stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port, host: '127.0.0.1' },
        database,
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: serviceToken, subject: 'bench' },
            },
          ],
        },
      },
      app: { baseUrl: `http://127.0.0.1:${port}` },
      auth: {
        providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
      },
      permission: { enabled: permissionEnabled },
    }),
  );
  return file;
}

function directKnex(): Knex {
  return dialect === 'pg'
    ? knexFactory({
        client: 'pg',
        connection: `${pgUrl}/${pgDatabase}`,
        pool: { min: 1, max: 4 },
      })
    : knexFactory({
        client: 'better-sqlite3',
        connection: { filename: join(dataDir, 'agents.sqlite') },
        useNullAsDefault: true,
      });
}

const PHASES = [
  'Queued',
  'Running',
  'Waiting',
  'Succeeded',
  'Failed',
  'Cancelled',
];

async function load(knex: Knex) {
  const started = Date.now();
  await knex(TABLE).delete();
  const batch = 100_000;
  for (let from = 1; from <= rows; from += batch) {
    const to = Math.min(rows, from + batch - 1);
    if (dialect === 'pg') {
      await knex.raw(
        `WITH g AS (
          SELECT i, 'org-' || (i % 10) AS ns, 'run-' || lpad(i::text, 8, '0') AS name,
            'repo-' || ((i / 10) % 8) AS repo,
            (ARRAY['Queued','Running','Waiting','Succeeded','Failed','Cancelled'])[1 + (i / 80) % 6] AS phase,
            'stack-' || (i % 20) AS stack,
            (ARRAY['manual','issue','pull-request','rule'])[1 + i % 4] AS source,
            timestamptz '2026-08-01 00:00:00+00' + i * interval '7 seconds' AS created
          FROM generate_series(?::bigint, ?::bigint) AS i)
        INSERT INTO ${TABLE} (namespace, name, uid, resource_version, generation, created_at, object, repository, stack, phase, source)
        SELECT ns, name, md5(name)::uuid::text, i, 1, created,
          json_build_object('apiVersion', 'agents.krate.dev/v1alpha1', 'kind', 'AgentDispatchRun',
            'metadata', json_build_object('name', name, 'namespace', ns, 'uid', md5(name)::uuid::text,
              'resourceVersion', i::text, 'generation', 1,
              'creationTimestamp', to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
            'spec', json_build_object('stack', stack, 'prompt', 'Fix the flaky checkout test, attempt ' || i,
              'repository', ns || '/' || repo, 'source', json_build_object('kind', source)),
            'status', json_build_object('phase', phase))::text,
          ns || '/' || repo, stack, phase, source
        FROM g`,
        [from, to],
      );
    } else {
      await knex.raw(
        `WITH RECURSIVE n(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < CAST(? AS INTEGER)),
        g AS (
          SELECT i, 'org-' || (i % 10) AS ns, printf('run-%08d', i) AS name,
            'repo-' || ((i / 10) % 8) AS repo,
            json_extract('${JSON.stringify(
              PHASES,
            )}', '$[' || ((i / 80) % 6) || ']') AS phase,
            'stack-' || (i % 20) AS stack,
            json_extract('["manual","issue","pull-request","rule"]', '$[' || (i % 4) || ']') AS source,
            1785542400000 + i * 7000 AS created
          FROM n)
        INSERT INTO ${TABLE} (namespace, name, uid, resource_version, generation, created_at, object, repository, stack, phase, source)
        SELECT ns, name, lower(hex(randomblob(16))), i, 1, created,
          json_object('apiVersion', 'agents.krate.dev/v1alpha1', 'kind', 'AgentDispatchRun',
            'metadata', json_object('name', name, 'namespace', ns, 'uid', lower(hex(randomblob(16))),
              'resourceVersion', CAST(i AS TEXT), 'generation', 1,
              'creationTimestamp', strftime('%Y-%m-%dT%H:%M:%SZ', created / 1000, 'unixepoch')),
            'spec', json_object('stack', stack, 'prompt', 'Fix the flaky checkout test, attempt ' || i,
              'repository', ns || '/' || repo, 'source', json_object('kind', source)),
            'status', json_object('phase', phase)),
          ns || '/' || repo, stack, phase, source
        FROM g`,
        [from, to],
      );
    }
    process.stdout.write(
      `\r  loaded ${to.toLocaleString('en')} / ${rows.toLocaleString(
        'en',
      )} rows`,
    );
  }
  await knex.raw(dialect === 'pg' ? `ANALYZE ${TABLE}` : 'ANALYZE');
  process.stdout.write(`  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

interface Query {
  namespace: string;
  repository: string;
  phase: string;
}

function queries(count: number): Query[] {
  // Deterministic spread over orgs and repositories; each combination matches rows/480 runs.
  return Array.from({ length: count }, (_, i) => {
    const org = (i * 7) % 10;
    const repo = (i * 3) % 8;
    return {
      namespace: `org-${org}`,
      repository: `org-${org}/repo-${repo}`,
      phase: 'Succeeded',
    };
  });
}

/** The runs page's four calls; `identity` asks for the response uncompressed. */
async function viaApi(q: Query, encoding?: 'identity'): Promise<number[]> {
  const times: number[] = [];
  let cont: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const params = new URLSearchParams({ ...q, limit: String(PAGE_SIZE) });
    if (cont) params.set('continue', cont);
    const started = performance.now();
    const response = await fetch(
      `http://127.0.0.1:${port}/api/agents/runs?${params}`,
      {
        headers: {
          authorization: `Bearer ${token}`,
          ...(encoding ? { 'accept-encoding': encoding } : {}),
        },
      },
    );
    const body = await response.json();
    times.push(performance.now() - started);
    if (!response.ok)
      throw new Error(`API ${response.status}: ${JSON.stringify(body)}`);
    if (body.items.length !== PAGE_SIZE)
      throw new Error(`page ${page} had ${body.items.length} items`);
    cont = body.continue;
  }
  return times;
}

async function direct(knex: Knex, q: Query): Promise<number[]> {
  const times: number[] = [];
  let after: { created_at: unknown; name: string } | undefined;
  for (let page = 0; page < PAGES; page++) {
    const started = performance.now();
    // The page's rows with the columns the API reads: the object and its cursor.
    const query = knex(TABLE)
      .select('namespace', 'name', 'created_at', 'object')
      .where({
        namespace: q.namespace,
        repository: q.repository,
        phase: q.phase,
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'name', order: 'desc' },
      ])
      .limit(PAGE_SIZE + 1);
    if (after) {
      const { created_at, name } = after;
      query.where(w =>
        w
          .where('created_at', '<', created_at as any)
          .orWhere(w2 =>
            w2
              .where('created_at', created_at as any)
              .andWhere('name', '<', name),
          ),
      );
    }
    const result = await query;
    times.push(performance.now() - started);
    if (result.length < PAGE_SIZE)
      throw new Error(`direct page ${page} had ${result.length} rows`);
    after = result[PAGE_SIZE - 1];
  }
  return times;
}

/** A guest's Backstage token, the way the app signs in. */
async function guestToken(): Promise<string> {
  const response = await fetch(
    `http://127.0.0.1:${port}/api/auth/guest/refresh?optional&env=development`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  if (!response.ok) {
    throw new Error(
      `guest sign-in: ${response.status} ${await response.text()}`,
    );
  }
  return (await response.json()).backstageIdentity.token;
}

/** The floor of any API call here: HTTP, Backstage's middleware and one `select 1`. */
async function health(): Promise<number> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/api/agents/health`);
  await response.json();
  return performance.now() - started;
}

/** Backstage's own liveness route: its root middleware, no plugin router, no database. */
async function liveness(): Promise<number> {
  const started = performance.now();
  const response = await fetch(
    `http://127.0.0.1:${port}/.backstage/health/v1/liveness`,
  );
  await response.json();
  return performance.now() - started;
}

/** HTTP alone: a bare node:http server in this process answering the health body. */
function startBareServer(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"ok"}');
  });
  return new Promise(resolve =>
    server.listen(port + 1, '127.0.0.1', () => resolve(server)),
  );
}

async function bare(): Promise<number> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port + 1}/`);
  await response.json();
  return performance.now() - started;
}

/** The store layer alone, in process: what the API adds on top of it is HTTP, auth and JSON. */
async function viaStore(
  store: DatabaseResourceStore,
  q: Query,
): Promise<number[]> {
  const times: number[] = [];
  let continueToken: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const started = performance.now();
    const result = await store.list('AgentDispatchRun', {
      namespace: q.namespace,
      fieldFilters: { repository: q.repository, phase: q.phase },
      limit: PAGE_SIZE,
      continueToken,
    });
    times.push(performance.now() - started);
    if (result.items.length !== PAGE_SIZE)
      throw new Error(`store page ${page} had ${result.items.length} items`);
    continueToken = result.continueToken;
  }
  return times;
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

async function main() {
  console.log(
    `Run-list benchmark: ${dialect}, ${rows.toLocaleString(
      'en',
    )} AgentDispatchRun rows, ${samples} samples × ${PAGES} pages of ${PAGE_SIZE}, calling as ${caller}`,
  );
  process.argv.splice(2, process.argv.length, '--config', backendConfig());
  if (dialect === 'pg' && !reuse) {
    const admin = knexFactory({
      client: 'pg',
      connection: `${pgUrl}/postgres`,
    });
    await admin.raw(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`);
    await admin.destroy();
  }
  const backend = createBackend();
  backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(
    import('@backstage/plugin-permission-backend-module-allow-all-policy'),
  );
  backend.add(import('@krate/plugin-agents-backend'));
  await backend.start();
  if (caller === 'user') {
    token = await guestToken();
  }

  const knex = directKnex();
  if (!reuse) {
    await load(knex);
  }

  const store = new DatabaseResourceStore({
    knex,
    audit: new DatabaseAuditStore(knex),
  });
  const bareServer = await startBareServer();
  const qs = queries(samples);
  for (const q of qs.slice(0, 20)) {
    await viaApi(q);
    await viaStore(store, q);
    await direct(knex, q);
  }
  const api: number[] = [];
  const apiIdentity: number[] = [];
  const db: number[] = [];
  const inProcess: number[] = [];
  const floor: number[] = [];
  const bareFloor: number[] = [];
  const livenessFloor: number[] = [];
  const apiSeq: number[] = [];
  const dbSeq: number[] = [];
  for (const q of qs) {
    const a = await viaApi(q);
    apiIdentity.push(...(await viaApi(q, 'identity')));
    inProcess.push(...(await viaStore(store, q)));
    floor.push(await health());
    bareFloor.push(await bare());
    livenessFloor.push(await liveness());
    const d = await direct(knex, q);
    api.push(...a);
    db.push(...d);
    apiSeq.push(a.reduce((x, y) => x + y));
    dbSeq.push(d.reduce((x, y) => x + y));
  }

  const row = (name: string, values: number[]) =>
    `${name.padEnd(34)} p50 ${percentile(values, 50)
      .toFixed(2)
      .padStart(8)} ms   p95 ${percentile(values, 95)
      .toFixed(2)
      .padStart(8)} ms`;
  console.log(row('API, per page call', api));
  console.log(row('API, uncompressed', apiIdentity));
  console.log(row('ResourceStore.list, per page', inProcess));
  console.log(row('GET /health (HTTP floor)', floor));
  console.log(row('Backstage liveness route', livenessFloor));
  console.log(row('bare node:http server', bareFloor));
  console.log(row('direct knex, per page query', db));
  console.log(row('API, 4-page sequence', apiSeq));
  console.log(row('direct knex, 4-page sequence', dbSeq));
  const ratio = (p: number) =>
    (percentile(api, p) / percentile(db, p)).toFixed(2);
  console.log(`ratio API / direct: p50 ${ratio(50)}×, p95 ${ratio(95)}×`);
  const apiP95 = percentile(api, 95);
  console.log(
    `target (PostgreSQL, 1M rows): API p95 < 50 ms and ≤ 2× direct → ${
      apiP95 < 50 && Number(ratio(95)) <= 2 ? 'met' : 'NOT met'
    } on this run`,
  );

  bareServer.close();
  await knex.destroy();
  // Open keep-alive sockets can hold stop() up; the figures are printed, so do not wait long.
  await Promise.race([backend.stop(), new Promise(r => setTimeout(r, 5_000))]);
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
