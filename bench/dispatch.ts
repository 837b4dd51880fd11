/*
 * Dispatch benchmark: N runs of a no-op scripted stack, from POST /api/agents/runs to Succeeded,
 * through a real backend (agents plugin + scripted runtime + permission backend with the
 * allow-all policy) over HTTP.
 *
 *   bench/run.sh dispatch --dialect sqlite --runs 200
 *   bench/run.sh dispatch --dialect pg --runs 200 --concurrency 8
 *
 * Prints runs/second (first POST → last Succeeded), POST latency and queue latency
 * (run created → attempt started), p50 and p95. Baseline in the same run: the same number of
 * POSTs of a plain AgentStack create (same HTTP, auth, permission and write path, nothing
 * queued or executed), so the ratio shows what dispatch costs on top of a write.
 */
import { createBackend } from '@backstage/backend-defaults';
import knexFactory from 'knex';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentsModuleScriptedRuntime } from '../plugins/agents-backend/src/runtimes/scripted';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
}
const dialect = (args.get('dialect') ?? 'sqlite') as 'pg' | 'sqlite';
const runs = Number(args.get('runs') ?? 200);
const concurrency = Number(args.get('concurrency') ?? 8);
const pgUrl =
  args.get('pg') ??
  process.env.KRATE_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
const port = Number(args.get('port') ?? 7098);
const token = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const dataDir = mkdtempSync(join(tmpdir(), 'krate-bench-dispatch-'));
const base = `http://127.0.0.1:${port}/api/agents`;

function writeConfig() {
  const file = join(dataDir, 'bench-config.json');
  writeFileSync(
    file,
    JSON.stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port, host: '127.0.0.1' },
        database:
          dialect === 'pg'
            ? {
                client: 'pg',
                connection: pgUrl,
                prefix: 'krate_bench_dispatch_',
              }
            : { client: 'better-sqlite3', connection: { directory: dataDir } },
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'bench' } },
          ],
        },
      },
      agents: {
        dispatch: {
          concurrency,
          pollIntervalMs: 200,
          runsRoot: join(dataDir, 'runs'),
        },
        workspaces: { root: join(dataDir, 'workspaces') },
      },
    }),
  );
  return file;
}

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    throw new Error(
      `${method} ${path}: ${response.status} ${JSON.stringify(json)}`,
    );
  }
  return json;
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

/** Runs `task(i)` for i in [0, count) with at most `limit` in flight. */
async function pool(
  count: number,
  limit: number,
  task: (i: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) {
        await task(next++);
      }
    }),
  );
}

async function main() {
  if (dialect === 'pg') {
    const admin = knexFactory({
      client: 'pg',
      connection: `${pgUrl}/postgres`,
    });
    await admin.raw(
      'DROP DATABASE IF EXISTS krate_bench_dispatch_agents WITH (FORCE)',
    );
    await admin.destroy();
  }
  process.argv.splice(2, process.argv.length, '--config', writeConfig());
  const backend = createBackend();
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(
    import('@backstage/plugin-permission-backend-module-allow-all-policy'),
  );
  backend.add(import('@krate/plugin-agents-backend'));
  backend.add(agentsModuleScriptedRuntime);
  await backend.start();

  await call('POST', '/apply', {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentStack',
    metadata: { name: 'noop', namespace: 'bench' },
    spec: {
      runtime: 'scripted',
      approvalMode: 'never',
      script: { steps: [{ say: 'done' }] },
    },
  });

  // Baseline: the same number of authenticated, permission-checked, audited writes.
  const baselineTimes: number[] = [];
  await pool(runs, concurrency, async i => {
    const started = performance.now();
    await call('POST', '/stacks', {
      metadata: { name: `baseline-${i}`, namespace: 'bench-baseline' },
      spec: { runtime: 'scripted', script: { steps: [{ say: 'x' }] } },
    });
    baselineTimes.push(performance.now() - started);
  });

  const postTimes: number[] = [];
  const names: string[] = [];
  const firstPostEpoch = Date.now();
  await pool(runs, concurrency, async () => {
    const started = performance.now();
    const run = await call('POST', '/runs', {
      namespace: 'bench',
      stack: 'noop',
      prompt: 'nothing to do',
    });
    postTimes.push(performance.now() - started);
    names.push(run.metadata.name);
  });

  const pending = new Set(names);
  const failed: string[] = [];
  while (pending.size > 0) {
    for (const name of [...pending]) {
      const run = await call('GET', `/runs/${name}`);
      const phase = run.status?.phase;
      if (
        phase === 'Succeeded' ||
        phase === 'Failed' ||
        phase === 'Cancelled'
      ) {
        pending.delete(name);
        if (phase !== 'Succeeded')
          failed.push(`${name}: ${phase} ${run.status.reason}`);
      }
    }
    if (pending.size > 0) await new Promise(r => setTimeout(r, 100));
  }
  // The last completion time is on the runs themselves, not when polling noticed.
  const queueLatencies: number[] = [];
  let lastCompletion = 0;
  for (const name of names) {
    const run = await call('GET', `/runs/${name}`);
    const attempt = await call(
      'GET',
      `/apis/agents.krate.dev/v1alpha1/namespaces/bench/agentdispatchattempts/${name}-1`,
    );
    queueLatencies.push(
      Date.parse(attempt.status.startTime) -
        Date.parse(run.metadata.creationTimestamp),
    );
    lastCompletion = Math.max(
      lastCompletion,
      Date.parse(run.status.completionTime),
    );
  }
  const wallMs = lastCompletion - firstPostEpoch;

  const f = (n: number) => n.toFixed(1);
  console.log(
    [
      `dialect: ${dialect}, runs: ${runs}, client and worker concurrency: ${concurrency}`,
      `succeeded: ${runs - failed.length}, failed: ${failed.length}${
        failed.length ? ` (${failed.slice(0, 3).join('; ')})` : ''
      }`,
      `throughput: ${(runs / (wallMs / 1000)).toFixed(
        1,
      )} runs/s (first POST → last Succeeded ${(wallMs / 1000).toFixed(2)} s)`,
      `queue latency (created → attempt started): p50 ${f(
        percentile(queueLatencies, 50),
      )} ms, p95 ${f(percentile(queueLatencies, 95))} ms`,
      `POST /runs: p50 ${f(percentile(postTimes, 50))} ms, p95 ${f(
        percentile(postTimes, 95),
      )} ms`,
      `baseline POST /stacks: p50 ${f(
        percentile(baselineTimes, 50),
      )} ms, p95 ${f(
        percentile(baselineTimes, 95),
      )} ms; POST /runs ÷ baseline p50 ${(
        percentile(postTimes, 50) / percentile(baselineTimes, 50)
      ).toFixed(2)}×`,
    ].join('\n'),
  );
  await Promise.race([backend.stop(), new Promise(r => setTimeout(r, 5_000))]);
  if (dialect === 'pg') {
    const admin = knexFactory({
      client: 'pg',
      connection: `${pgUrl}/postgres`,
    });
    await admin.raw(
      'DROP DATABASE IF EXISTS krate_bench_dispatch_agents WITH (FORCE)',
    );
    await admin.destroy();
  }
  rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
