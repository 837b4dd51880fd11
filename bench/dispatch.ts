/*
 * Dispatch benchmark: N runs of a no-op scripted stack, from POST /api/agents/runs to Succeeded,
 * through real backends (agents plugin + scripted runtime + permission backend with the
 * allow-all policy, each replica its own process) over HTTP.
 *
 *   bench/run.sh dispatch --dialect pg --runs 200
 *   bench/run.sh dispatch --setups sqlite,pg,pg:2 --runs 200 --workers 64
 *   bench/run.sh dispatch --setups pg,pg:2 --runs 200 --agent-ms 500
 *
 * A setup is `<dialect>[:<replicas>]`; each runs on a fresh database, one after the other, and
 * the figures of every setup are compared with the first one's. With several replicas the
 * clients spread their POSTs over them in turn.
 *
 * Prints runs/second (first POST → last Succeeded), POST latency and queue latency
 * (run created → attempt started), p50 and p95. Baseline in the same run: the same number of
 * POSTs of a plain AgentStack create (same HTTP, auth, permission and write path, nothing
 * queued or executed), so the ratio shows what dispatch costs on top of a write.
 *
 * Not measured: 8 warm-up runs after the start, and the stack controller's work on the baseline
 * stacks (the burst waits until it is done).
 */
import knexFactory from 'knex';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Replica } from './lib/replicas';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
}
const setups = (args.get('setups') ?? args.get('dialect') ?? 'sqlite')
  .split(',')
  .map(parseSetup);
const runs = Number(args.get('runs') ?? 200);
const concurrency = Number(args.get('concurrency') ?? 8);
/** Attempts each replica drives at once (agents.dispatch.concurrency). */
const workers = Number(args.get('workers') ?? concurrency);
const pgUrl =
  args.get('pg') ??
  process.env.KRATE_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
/** How long each run's agent works (a scripted sleep, as a model's turn would take): 0 is a no-op. */
const agentMs = Number(args.get('agent-ms') ?? 0);
/** Database connections per replica (knex pool max; PostgreSQL only, knex's default is 10). */
const poolMax = Number(args.get('pool') ?? 10);
const firstPort = Number(args.get('port') ?? 7098);
const token = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const DATABASE = 'krate_bench_dispatch_agents';
const WARM_UP_RUNS = 8;
const TERMINAL = ['Succeeded', 'Failed', 'Cancelled'];

interface Setup {
  label: string;
  dialect: 'pg' | 'sqlite';
  replicas: number;
}

function parseSetup(text: string): Setup {
  const [dialect, count = '1'] = text.trim().split(':');
  if (dialect !== 'pg' && dialect !== 'sqlite') {
    throw new Error(`setup ${text}: the dialect is pg or sqlite`);
  }
  const replicas = Number(count);
  if (dialect === 'sqlite' && replicas !== 1) {
    throw new Error(`setup ${text}: SQLite serves one replica`);
  }
  return { label: text.trim(), dialect, replicas };
}

function writeConfig(setup: Setup, dataDir: string, port: number) {
  const file = join(dataDir, `config-${port}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port, host: '127.0.0.1' },
        database:
          setup.dialect === 'pg'
            ? {
                client: 'pg',
                connection: pgUrl,
                prefix: 'krate_bench_dispatch_',
                knexConfig: { pool: { min: 0, max: poolMax } },
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
          concurrency: workers,
          pollIntervalMs: 200,
          runsRoot: join(dataDir, 'runs'),
        },
        workspaces: { root: join(dataDir, 'workspaces') },
      },
    }),
  );
  return file;
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
) {
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

async function dropDatabase() {
  const admin = knexFactory({ client: 'pg', connection: `${pgUrl}/postgres` });
  await admin.raw(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.destroy();
}

/**
 * Waits until the stack controller has resolved every baseline stack, so that its work on them
 * does not run during the burst that is measured next.
 */
async function settleBaseline(base: string) {
  for (;;) {
    const list = await call(
      base,
      'GET',
      `/apis/agents.krate.dev/v1alpha1/namespaces/bench-baseline/agentstacks?limit=${runs}`,
    );
    const resolved = list.items.filter(
      (stack: any) =>
        stack.status?.observedGeneration === stack.metadata.generation,
    ).length;
    if (resolved >= runs) return;
    await new Promise(r => setTimeout(r, 200));
  }
}

/**
 * Waits until every named run has ended; answers the ones that did not succeed. One list
 * request per half second, so that the waiting adds little load to what is measured.
 */
async function waitForRuns(base: string, names: string[]): Promise<string[]> {
  const pending = new Set(names);
  const failed: string[] = [];
  while (pending.size > 0) {
    await new Promise(r => setTimeout(r, 500));
    let token: string | undefined;
    do {
      const page = await call(
        base,
        'GET',
        `/apis/agents.krate.dev/v1alpha1/namespaces/bench/agentdispatchruns?limit=500${
          token ? `&continue=${encodeURIComponent(token)}` : ''
        }`,
      );
      for (const run of page.items) {
        const { name } = run.metadata;
        const phase = run.status?.phase;
        if (!pending.has(name) || !TERMINAL.includes(phase)) continue;
        pending.delete(name);
        if (phase !== 'Succeeded') {
          failed.push(`${name}: ${phase} ${run.status.reason}`);
        }
      }
      token = page.metadata?.continue;
    } while (token);
  }
  return failed;
}

interface Figures {
  succeeded: number;
  failed: string[];
  runsPerSecond: number;
  wallMs: number;
  queue: number[];
  post: number[];
  baseline: number[];
}

async function measure(setup: Setup): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'krate-bench-dispatch-'));
  if (setup.dialect === 'pg') await dropDatabase();
  const replicas = Array.from({ length: setup.replicas }, (_, i) => {
    const port = firstPort + i;
    return new Replica(port, writeConfig(setup, dataDir, port));
  });
  // One first, so the others find the database migrated.
  await replicas[0].start();
  await Promise.all(replicas.slice(1).map(replica => replica.start()));
  const bases = replicas.map(replica => replica.baseUrl);
  const baseOf = (i: number) => bases[i % bases.length];
  try {
    await call(bases[0], 'POST', '/apply', {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentStack',
      metadata: { name: 'noop', namespace: 'bench' },
      spec: {
        runtime: 'scripted',
        approvalMode: 'never',
        script: {
          steps:
            agentMs > 0
              ? [{ sleepMs: agentMs }, { say: 'done' }]
              : [{ say: 'done' }],
        },
      },
    });

    // Warm-up, not measured: the first runs after a start pay for lazy loading and compiling.
    const warmUp: string[] = [];
    await pool(WARM_UP_RUNS, WARM_UP_RUNS, async i => {
      const run = await call(baseOf(i), 'POST', '/runs', {
        namespace: 'bench',
        stack: 'noop',
        prompt: 'warming up',
      });
      warmUp.push(run.metadata.name);
    });
    await waitForRuns(bases[0], warmUp);

    // Baseline: the same number of authenticated, permission-checked, audited writes.
    const baseline: number[] = [];
    await pool(runs, concurrency, async i => {
      const started = performance.now();
      await call(baseOf(i), 'POST', '/stacks', {
        metadata: { name: `baseline-${i}`, namespace: 'bench-baseline' },
        spec: { runtime: 'scripted', script: { steps: [{ say: 'x' }] } },
      });
      baseline.push(performance.now() - started);
    });

    await settleBaseline(bases[0]);

    const post: number[] = [];
    const names: string[] = [];
    const firstPostEpoch = Date.now();
    await pool(runs, concurrency, async i => {
      const started = performance.now();
      const run = await call(baseOf(i), 'POST', '/runs', {
        namespace: 'bench',
        stack: 'noop',
        prompt: 'nothing to do',
      });
      post.push(performance.now() - started);
      names.push(run.metadata.name);
    });

    const failed = await waitForRuns(bases[0], names);
    // The last completion time is on the runs themselves, not when polling noticed.
    const queue: number[] = [];
    let lastCompletion = 0;
    for (const name of names) {
      const run = await call(bases[0], 'GET', `/runs/${name}`);
      const attempt = await call(
        bases[0],
        'GET',
        `/apis/agents.krate.dev/v1alpha1/namespaces/bench/agentdispatchattempts/${name}-1`,
      );
      queue.push(
        Date.parse(attempt.status.startTime) -
          Date.parse(run.metadata.creationTimestamp),
      );
      lastCompletion = Math.max(
        lastCompletion,
        Date.parse(run.status.completionTime),
      );
    }
    const wallMs = lastCompletion - firstPostEpoch;
    return {
      succeeded: runs - failed.length,
      failed,
      runsPerSecond: runs / (wallMs / 1000),
      wallMs,
      queue,
      post,
      baseline,
    };
  } finally {
    await Promise.all(replicas.map(replica => replica.stop()));
    if (setup.dialect === 'pg') await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(setup: Setup, figures: Figures, first?: Figures) {
  const f = (n: number) => n.toFixed(1);
  const lines = [
    `setup ${setup.label}: ${setup.dialect}, ${
      setup.replicas
    } replica(s), runs: ${runs}, agent time per run: ${agentMs} ms, client concurrency: ${concurrency}, worker concurrency per replica: ${workers}${
      setup.dialect === 'pg' ? `, connections per replica: ${poolMax}` : ''
    }`,
    `  succeeded: ${figures.succeeded}, failed: ${figures.failed.length}${
      figures.failed.length ? ` (${figures.failed.slice(0, 3).join('; ')})` : ''
    }`,
    `  throughput: ${figures.runsPerSecond.toFixed(
      1,
    )} runs/s (first POST → last Succeeded ${(figures.wallMs / 1000).toFixed(
      2,
    )} s)`,
    `  queue latency (created → attempt started): p50 ${f(
      percentile(figures.queue, 50),
    )} ms, p95 ${f(percentile(figures.queue, 95))} ms`,
    `  POST /runs: p50 ${f(percentile(figures.post, 50))} ms, p95 ${f(
      percentile(figures.post, 95),
    )} ms`,
    `  baseline POST /stacks: p50 ${f(
      percentile(figures.baseline, 50),
    )} ms, p95 ${f(
      percentile(figures.baseline, 95),
    )} ms; POST /runs ÷ baseline p50 ${(
      percentile(figures.post, 50) / percentile(figures.baseline, 50)
    ).toFixed(2)}×`,
  ];
  if (first) {
    lines.push(
      `  throughput ÷ ${setups[0].label}'s: ${(
        figures.runsPerSecond / first.runsPerSecond
      ).toFixed(2)}×`,
    );
  }
  console.log(lines.join('\n'));
}

async function main() {
  let first: Figures | undefined;
  for (const setup of setups) {
    const figures = await measure(setup);
    report(setup, figures, first);
    first ??= figures;
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
