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
 * approvals that the script decides through whichever replica is up, `writeback` ones change a
 * git workspace whose patch the script then asks to push to a branch of a local bare remote
 * (an approval, then the git write-back target). Each kill hits the replica driving the most
 * attempts at that moment. Checks:
 *   - every run reaches a terminal phase; a failure is only an interrupted step (a step whose
 *     side effect may have happened when its replica died, which the scripted agent does not run
 *     again), never a lost runtime;
 *   - every run's event log is contiguous (seq 1…n, no gap, no duplicate);
 *   - no step's side effect happened twice, and every step of a run that succeeded happened once;
 *   - no approval was decided twice (one approver entry each, at most one accepted decision);
 *   - every write-back run that succeeded had its patch pushed once: one write-back recorded,
 *     applied, and one commit on its branch;
 *   - SSE clients following runs across the kills, reconnecting with Last-Event-ID to the replica
 *     that is up, received exactly the stored log.
 * Prints the figures and exits non-zero when a check fails.
 */
import knexFactory from 'knex';
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
const REPOSITORY = 'chaos/app';

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

const STACKS: {
  name: string;
  approvalMode: string;
  repository?: string;
  steps: object[];
}[] = [
  {
    name: 'chatty',
    approvalMode: 'never',
    steps: [
      { emit: { count: 400, text: 'chunk' } },
      { sleepMs: 1000 },
      { emit: { count: 400, text: 'chunk' } },
      { sleepMs: 1000 },
      { say: 'done' },
    ],
  },
  {
    name: 'steps',
    approvalMode: 'never',
    steps: Array.from({ length: STEPS }, (_, k) => [
      { shell: `echo step-${k} >> effects.txt` },
      { sleepMs: 600 },
    ]).flat(),
  },
  {
    name: 'writeback',
    approvalMode: 'never',
    repository: REPOSITORY,
    steps: [
      { writeFile: { path: 'notes.txt', content: 'written by the agent\n' } },
      { sleepMs: 1000 },
      { producePatch: { name: 'Notes' } },
    ],
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
        repositoryCache: { directory: join(dataDir, 'cache') },
        repositories: [{ name: REPOSITORY, url: remoteOf(dataDir) }],
      },
    }),
  );
  return file;
}

const remoteOf = (dataDir: string) => join(dataDir, 'remote.git');

/** The bare repository write-backs push to, seeded with one commit on main. */
function seedRemote(dataDir: string) {
  const seed = join(dataDir, 'seed');
  mkdirSync(seed);
  const git = (...gitArgs: string[]) =>
    execFileSync('git', gitArgs, {
      cwd: seed,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'chaos',
        GIT_AUTHOR_EMAIL: 'chaos@example.invalid',
        GIT_COMMITTER_NAME: 'chaos',
        GIT_COMMITTER_EMAIL: 'chaos@example.invalid',
      },
    });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(seed, 'README.md'), 'chaos\n');
  git('add', '.');
  git('commit', '-q', '-m', 'seed');
  execFileSync('git', ['clone', '-q', '--bare', seed, remoteOf(dataDir)]);
}

/** Commits on `branch` of the remote that main does not have; undefined without the branch. */
function commitsAhead(dataDir: string, branch: string): number | undefined {
  try {
    return Number(
      execFileSync(
        'git',
        [
          '--git-dir',
          remoteOf(dataDir),
          'rev-list',
          '--count',
          `main..refs/heads/${branch}`,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      ).trim(),
    );
  } catch {
    return undefined;
  }
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

/**
 * The replica driving the most attempts right now (their lease owners carry its process id), so
 * that kills land on work in flight; waits up to two seconds for one to drive any.
 */
async function busiestReplica(
  replicas: Replica[],
): Promise<{ replica: Replica; driving: number }> {
  const db = knexFactory({ client: 'pg', connection: `${pgUrl}/${DATABASE}` });
  try {
    for (let tries = 0; tries < 20; tries++) {
      const leases: { owner: string }[] = await db('agents_attempt_leases')
        .whereNotNull('owner')
        .andWhere('expires_at', '>', Date.now())
        .select('owner');
      const counts = replicas.map(
        replica =>
          leases.filter(lease => lease.owner.includes(`-${replica.pid}-`))
            .length,
      );
      const most = Math.max(...counts);
      if (most > 0) {
        const busiest = replicas.filter((_, i) => counts[i] === most);
        return {
          replica: busiest[Math.floor(random() * busiest.length)],
          driving: most,
        };
      }
      await sleep(100);
    }
  } finally {
    await db.destroy();
  }
  return {
    replica: replicas[Math.floor(random() * replicas.length)],
    driving: 0,
  };
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
  seedRemote(dataDir);
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
          writeBackPolicy: { mode: 'branch', requireApproval: true },
          script: { steps: stack.steps },
        },
      });
    }
    await cluster.call('POST', '/apply', {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentWorkspacePolicy',
      metadata: { name: 'default', namespace: NAMESPACE },
      spec: { provisioning: { mode: 'fresh', root: '.' } },
    });
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
        const { name: stack, repository } = STACKS[i % STACKS.length];
        const run = await cluster.call('POST', '/runs', {
          namespace: NAMESPACE,
          stack,
          prompt: `chaos ${i}`,
          ...(repository ? { repository } : {}),
        });
        runs.push({ name: run.metadata.name, stack });
        // Spread over the kills (a kill and its restart take five to six seconds).
        const spacing = (kills * 5_500) / runCount;
        await sleep(between(0.5 * spacing, 1.5 * spacing));
      }
      dispatching = false;
    })();

    // Decides every pending approval once it has waited a little, through any replica.
    let approving = true;
    const approver = (async () => {
      while (approving) {
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

    let inFlightAtKills = 0;
    const killer = (async () => {
      for (let k = 0; k < kills; k++) {
        await sleep(between(300, 1500));
        const { replica: victim, driving } = await busiestReplica(replicas);
        inFlightAtKills += driving;
        await victim.kill();
        progress(
          `kill ${k + 1}/${kills}: replica on ${
            victim.port
          }, driving ${driving} attempt(s)`,
        );
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

    // Asks for the write-back of every finished write-back run's patch (again after a broken
    // connection: the same request answers the same write-back) and follows it to its end.
    const writeBacks = new Map<
      string,
      { artifact: string; state?: string; count?: number }
    >();
    const writer = (async () => {
      for (;;) {
        const due = runs.filter(
          run => run.stack === 'writeback' && finished.has(run.name),
        );
        for (const run of due) {
          const entry = writeBacks.get(run.name);
          if (!entry) {
            const listed = await cluster.call(
              'GET',
              `/artifacts?run=${run.name}&namespace=${NAMESPACE}`,
            );
            const patch = listed.items.find(
              (a: any) =>
                a.spec.kind === 'patch' && a.status?.state === 'ready',
            );
            if (!patch) continue;
            const { response } = await cluster.send(
              'POST',
              `/artifacts/${patch.metadata.name}/write-back?namespace=${NAMESPACE}`,
              {
                target: 'git',
                operation: 'branch',
                branch: `agents/${run.name}`,
              },
            );
            if (response.status === 202) {
              writeBacks.set(run.name, { artifact: patch.metadata.name });
            }
          } else if (entry.state !== 'applied' && entry.state !== 'failed') {
            const { items } = await cluster.call(
              'GET',
              `/artifacts/${entry.artifact}/write-backs?namespace=${NAMESPACE}`,
            );
            entry.state = items[0]?.state;
            entry.count = items.length;
          }
        }
        const settled = runs
          .filter(run => run.stack === 'writeback')
          .every(run => {
            const state = writeBacks.get(run.name)?.state;
            return (
              finished.has(run.name) &&
              (state === 'applied' || state === 'failed')
            );
          });
        if ((!dispatching && settled) || Date.now() - started > 10 * 60_000) {
          return;
        }
        await sleep(300);
      }
    })();

    await Promise.all([dispatcher, killer]);
    await watcher;
    await writer;
    approving = false;
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
      if (run.stack === 'chatty' || run.stack === 'writeback') continue;
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

    // Write-backs: each succeeded write-back run's patch pushed once, as one commit.
    let pushed = 0;
    for (const run of runs) {
      if (run.stack !== 'writeback') continue;
      if (results.get(run.name)?.status?.phase !== 'Succeeded') continue;
      const entry = writeBacks.get(run.name);
      const ahead = commitsAhead(dataDir, `agents/${run.name}`);
      if (entry?.state !== 'applied' || entry.count !== 1 || ahead !== 1) {
        problems.push(
          `${run.name}: write-back ${entry?.state ?? 'never accepted'} (${
            entry?.count ?? 0
          } recorded), ${ahead ?? 'no'} commit(s) on its branch`,
        );
      } else {
        pushed++;
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
        `  outcomes: ${[...phases].map(([k, v]) => `${k} ${v}`).join(', ')}`,
        `  attempts the killed replica was driving: ${inFlightAtKills}; runs re-attached after a kill: ${reattached.size}`,
        `  events stored: ${events}; side effects counted: ${effects}; approvals: ${
          approvals.length
        }, decisions accepted: ${[...decisions.values()].reduce(
          (a, b) => a + b,
          0,
        )}`,
        `  write-backs pushed once: ${pushed} of ${
          runs.filter(run => run.stack === 'writeback').length
        } runs`,
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
