/*
 * Chaos benchmark: two backend replicas on one PostgreSQL, runs of the scripted runtime, and one
 * replica killed with SIGKILL and restarted at random moments. Then it checks what must hold:
 *
 *   bench/run.sh chaos                 # 50 runs, 20 kills
 *   bench/run.sh chaos --short         # 12 runs, 4 kills (the test command runs this)
 *   bench/run.sh chaos --runs 50 --kills 20 --seed 7
 *
 * The runs: `chatty` ones stream many events, `steps` ones append one line per step to a file in
 * their working directory (the side effects counted afterwards), `gated` ones wait on human
 * approvals that the script decides through whichever replica is up. Checks:
 *   - every run reaches a terminal phase; a failure is only an interrupted step (a step whose
 *     side effect may have happened when its replica died, which the scripted agent does not run
 *     again), never a lost runtime;
 *   - every run's event log is contiguous (seq 1…n, no gap, no duplicate);
 *   - no step's side effect happened twice, and every step of a run that succeeded happened once;
 *   - no approval was decided twice (one approver entry each, at most one accepted decision);
 *   - SSE clients following runs across the kills, reconnecting with Last-Event-ID to the replica
 *     that is up, received exactly the stored log.
 * Prints the figures and exits non-zero when a check fails.
 */
import knexFactory from 'knex';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Replica } from './lib/replicas';
import { followRunEvents } from './lib/followRunEvents';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i].replace(/^--/, '');
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) {
    args.set(key, 'yes');
  } else {
    args.set(key, value);
    i++;
  }
}
const short = args.get('short') === 'yes';
const runCount = Number(args.get('runs') ?? (short ? 12 : 50));
const kills = Number(args.get('kills') ?? (short ? 4 : 20));
let seed = Number(args.get('seed') ?? Date.now() % 100_000);
const pgUrl =
  args.get('pg') ??
  process.env.KRATE_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
const ports = [
  Number(args.get('port') ?? 7201),
  Number(args.get('port') ?? 7201) + 1,
];
const token = `chaos-${Math.random().toString(36).slice(2)}`;
const DATABASE = 'krate_bench_chaos_agents';
const NAMESPACE = 'chaos';
const STEPS = 6;

/** A small seeded generator, so a failing run can be replayed with --seed. */
function random() {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}
const between = (min: number, max: number) => min + random() * (max - min);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const progress = (message: string) =>
  process.stderr.write(
    `[chaos ${new Date().toISOString().slice(11, 19)}] ${message}\n`,
  );

const STACKS = [
  {
    name: 'chatty',
    approvalMode: 'never',
    steps: [
      { emit: { count: 400, text: 'chunk' } },
      { sleepMs: 400 },
      { emit: { count: 400, text: 'chunk' } },
      { sleepMs: 400 },
      { say: 'done' },
    ],
  },
  {
    name: 'steps',
    approvalMode: 'never',
    steps: Array.from({ length: STEPS }, (_, k) => [
      { shell: `echo step-${k} >> effects.txt` },
      { sleepMs: 250 },
    ]).flat(),
  },
  {
    name: 'gated',
    approvalMode: 'always',
    steps: [
      { say: 'asking' },
      { shell: 'echo gated >> effects.txt' },
      { say: 'done' },
    ],
  },
];

function config(dataDir: string, port: number) {
  const file = join(dataDir, `config-${port}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port, host: '127.0.0.1' },
        database: {
          client: 'pg',
          connection: pgUrl,
          prefix: 'krate_bench_chaos_',
        },
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'chaos' } },
          ],
        },
      },
      agents: {
        dispatch: {
          concurrency: 32,
          pollIntervalMs: 200,
          leaseDurationSeconds: 2,
          runsRoot: join(dataDir, 'runs'),
        },
        workspaces: { root: join(dataDir, 'workspaces') },
      },
    }),
  );
  return file;
}

class Cluster {
  constructor(readonly replicas: Replica[]) {}

  /** Calls a replica that is up; a connection that breaks is tried again on another. */
  async call(method: string, path: string, body?: unknown): Promise<any> {
    const { response, json } = await this.send(method, path, body);
    if (!response.ok) {
      throw new Error(
        `${method} ${path}: ${response.status} ${JSON.stringify(json)}`,
      );
    }
    return json;
  }

  async send(method: string, path: string, body?: unknown) {
    for (let tries = 0; ; tries++) {
      const up = this.replicas.filter(replica => replica.running);
      const replica = up[Math.floor(random() * up.length)] ?? this.replicas[0];
      try {
        const response = await fetch(`${replica.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { response, json: await response.json() };
      } catch (error) {
        if (tries > 200) throw error;
        await sleep(50);
      }
    }
  }
}

async function dropDatabase() {
  const admin = knexFactory({ client: 'pg', connection: `${pgUrl}/postgres` });
  await admin.raw(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.destroy();
}

const TERMINAL = new Set(['Succeeded', 'Failed', 'Cancelled']);

async function main() {
  const startSeed = seed;
  const dataDir = mkdtempSync(join(tmpdir(), 'krate-bench-chaos-'));
  await dropDatabase();
  const replicas = ports.map(port => new Replica(port, config(dataDir, port)));
  await replicas[0].start();
  await replicas[1].start();
  const cluster = new Cluster(replicas);
  const problems: string[] = [];
  const started = Date.now();
  try {
    for (const stack of STACKS) {
      await cluster.call('POST', '/apply', {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentStack',
        metadata: { name: stack.name, namespace: NAMESPACE },
        spec: {
          runtime: 'scripted',
          approvalMode: stack.approvalMode,
          allowSelfApproval: true,
          script: { steps: stack.steps },
        },
      });
    }
    // The stack controller resolves them; a run of a stack that is not Ready is refused.
    for (const stack of STACKS) {
      for (;;) {
        const object = await cluster.call(
          'GET',
          `/apis/agents.krate.dev/v1alpha1/namespaces/${NAMESPACE}/agentstacks/${stack.name}`,
        );
        const ready = object.status?.conditions?.find(
          (condition: { type: string }) => condition.type === 'Ready',
        );
        if (ready?.status === 'True') break;
        await sleep(100);
      }
    }

    const runs: { name: string; stack: string }[] = [];
    const finished = new Set<string>();
    const decisions = new Map<string, number>();
    let dispatching = true;
    const dispatcher = (async () => {
      for (let i = 0; i < runCount; i++) {
        const stack = STACKS[i % STACKS.length].name;
        const run = await cluster.call('POST', '/runs', {
          namespace: NAMESPACE,
          stack,
          prompt: `chaos ${i}`,
        });
        runs.push({ name: run.metadata.name, stack });
        // Spread over the kills (a kill and restart takes about five seconds).
        await sleep(between(500, 2500));
      }
      dispatching = false;
    })();

    // Decides every pending approval once it has waited a little, through any replica.
    const approver = (async () => {
      while (dispatching || runs.some(run => !finished.has(run.name))) {
        const { items } = await cluster.call(
          'GET',
          `/approvals?namespace=${NAMESPACE}&limit=500`,
        );
        for (const approval of items) {
          if ((approval.status?.state ?? 'pending') !== 'pending') continue;
          const { response } = await cluster.send(
            'POST',
            `/approvals/${approval.metadata.name}/decision`,
            { decision: 'approve' },
          );
          if (response.ok) {
            const name = approval.metadata.name;
            decisions.set(name, (decisions.get(name) ?? 0) + 1);
          }
        }
        await sleep(between(200, 600));
      }
    })();

    // An SSE client follows every chatty run from its start, across the kills.
    const followed = new Map<string, number[]>();
    const followers: Promise<void>[] = [];

    const killer = (async () => {
      for (let k = 0; k < kills; k++) {
        await sleep(between(300, 1500));
        const victim = replicas[Math.floor(random() * replicas.length)];
        await victim.kill();
        progress(`kill ${k + 1}/${kills}: replica on ${victim.port}`);
        await sleep(between(100, 800));
        await victim.start();
        progress(`replica on ${victim.port} is back`);
      }
    })();

    let rounds = 0;
    const watcher = (async () => {
      for (;;) {
        for (const run of runs) {
          if (run.stack === 'chatty' && !followed.has(run.name)) {
            const seqs: number[] = [];
            followed.set(run.name, seqs);
            followers.push(
              followRunEvents({
                urls: () =>
                  replicas
                    .filter(replica => replica.running)
                    .map(
                      replica => `${replica.baseUrl}/runs/${run.name}/events`,
                    ),
                token,
                onEvent: seq => seqs.push(seq),
              }),
            );
          }
        }
        const { items } = await cluster.call(
          'GET',
          `/runs?namespace=${NAMESPACE}&limit=500`,
        );
        for (const item of items) {
          if (TERMINAL.has(item.status?.phase))
            finished.add(item.metadata.name);
        }
        if (!dispatching && runs.every(run => finished.has(run.name))) return;
        if (++rounds % 10 === 0) {
          progress(`${runs.length} runs dispatched, ${finished.size} finished`);
        }
        if (Date.now() - started > 10 * 60_000) {
          problems.push('not every run ended within 10 minutes');
          return;
        }
        await sleep(300);
      }
    })();

    await Promise.all([dispatcher, killer]);
    await watcher;
    await approver;
    await Promise.race([Promise.all(followers), sleep(30_000)]);

    // Every run terminal; failures only from an interrupted step.
    const phases = new Map<string, number>();
    const results = new Map<string, any>();
    for (const run of runs) {
      const object = await cluster.call('GET', `/runs/${run.name}`);
      results.set(run.name, object);
      const key = `${object.status?.phase} ${
        object.status?.reason ?? ''
      }`.trim();
      phases.set(key, (phases.get(key) ?? 0) + 1);
      if (!TERMINAL.has(object.status?.phase)) {
        problems.push(`${run.name} ended ${key}`);
      } else if (
        object.status.phase !== 'Succeeded' &&
        object.status.reason !== 'StepInterrupted'
      ) {
        problems.push(
          `${run.name} (${run.stack}) ended ${key}: ${object.status.message}`,
        );
      }
    }

    // Event logs contiguous.
    let events = 0;
    const reattached = new Set<string>();
    const stored = new Map<string, number[]>();
    for (const run of runs) {
      const seqs: number[] = [];
      let since = 0;
      for (;;) {
        const page = await cluster.call(
          'GET',
          `/runs/${run.name}/events?sinceSeq=${since}&limit=10000`,
        );
        seqs.push(...page.items.map((event: { seq: number }) => event.seq));
        if (
          page.items.some(
            (event: { code?: string }) => event.code === 'Reattached',
          )
        ) {
          reattached.add(run.name);
        }
        if (!page.nextSinceSeq) break;
        since = page.nextSinceSeq;
      }
      stored.set(run.name, seqs);
      events += seqs.length;
      const broken = seqs.findIndex((seq, i) => seq !== i + 1);
      if (broken >= 0) {
        problems.push(
          `${run.name}: event ${broken + 1} has seq ${
            seqs[broken]
          } (log not contiguous)`,
        );
      }
    }

    // Side effects: each step's line at most once, exactly once when the run succeeded.
    let effects = 0;
    for (const run of runs) {
      if (run.stack === 'chatty') continue;
      const file = join(dataDir, 'runs', NAMESPACE, run.name, 'effects.txt');
      let lines: string[] = [];
      try {
        lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      } catch {
        lines = [];
      }
      effects += lines.length;
      const expected =
        run.stack === 'steps'
          ? Array.from({ length: STEPS }, (_, k) => `step-${k}`)
          : ['gated'];
      const succeeded = results.get(run.name)?.status?.phase === 'Succeeded';
      for (const line of expected) {
        const count = lines.filter(l => l === line).length;
        if (count > 1 || (succeeded && count !== 1)) {
          problems.push(`${run.name}: "${line}" happened ${count} times`);
        }
      }
    }

    // Approvals decided once.
    const { items: approvals } = await cluster.call(
      'GET',
      `/approvals?namespace=${NAMESPACE}&limit=500`,
    );
    for (const approval of approvals) {
      const name = approval.metadata.name;
      const given = approval.status?.approvals?.length ?? 0;
      if (given > 1 || (decisions.get(name) ?? 0) > 1) {
        problems.push(
          `${name}: ${given} approvals recorded, ${
            decisions.get(name) ?? 0
          } decisions accepted`,
        );
      }
    }

    // SSE followers saw exactly the stored log.
    for (const [name, seqs] of followed) {
      const log = stored.get(name) ?? [];
      if (JSON.stringify(seqs) !== JSON.stringify(log)) {
        problems.push(
          `${name}: the SSE client received ${
            seqs.length
          } events (${describeGaps(seqs)}), the log holds ${log.length}`,
        );
      }
    }

    console.log(
      [
        `chaos: ${
          runs.length
        } runs on 2 replicas, ${kills} kills (SIGKILL, then restart), seed ${startSeed}, ${(
          (Date.now() - started) /
          1000
        ).toFixed(1)} s`,
        `  outcomes: ${[...phases]
          .map(([k, v]) => `${k} ${v}`)
          .join(
            ', ',
          )}; runs taken over by the other replica or the restarted one: ${
          reattached.size
        }`,
        `  events stored: ${events}; side effects counted: ${effects}; approvals: ${
          approvals.length
        }, decisions accepted: ${[...decisions.values()].reduce(
          (a, b) => a + b,
          0,
        )}`,
        `  SSE clients: ${followed.size}, events received: ${[
          ...followed.values(),
        ].reduce((a, b) => a + b.length, 0)}`,
        problems.length
          ? `  FAILED checks (${problems.length}):\n    ${problems
              .slice(0, 20)
              .join('\n    ')}`
          : '  every check passed: terminal runs, contiguous logs, steps once, approvals once, SSE complete',
      ].join('\n'),
    );
  } finally {
    await Promise.all(replicas.map(replica => replica.stop()));
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return problems.length === 0;
}

function describeGaps(seqs: number[]) {
  const dupes = seqs.length - new Set(seqs).size;
  const missing = seqs.length ? Math.max(...seqs) - new Set(seqs).size : 0;
  return `${dupes} duplicate, ${missing} missing below the last`;
}

main().then(
  ok => process.exit(ok ? 0 : 1),
  error => {
    console.error(error);
    process.exit(1);
  },
);
