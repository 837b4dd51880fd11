/*
 * Event-ingestion benchmark: events per second through the run event log (AttemptEventWriter:
 * numbering, redaction, batched appends) delivered to one live subscriber, against a raw knex
 * batch insert of the same rows into the same database, in one process. Then an Agent Mux
 * Claude stream (a `log` line stored before every text delta, as a real gateway does) through
 * the agent-mux runtime into the same log: stored text events per delta.
 *
 *   bench/run.sh events --dialect sqlite --events 60000 --mux-deltas 3000
 *   bench/run.sh events --dialect pg --events 60000
 *
 * Targets: the log's rate ≥ 50 % of the raw insert rate, ≥ 6,000 events/s into one attempt, and
 * the subscriber receives every seq from 1 to N exactly once; the Agent Mux stream is stored as
 * a few text events in all (one per 16 KiB of text), and its transcript holds the answer once.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentAttemptHost } from '@krate/plugin-agents-node';
import knexFactory, { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttemptLeases } from '../plugins/agents-backend/src/database/AttemptLeases';
import { AgentsDatabase } from '../plugins/agents-backend/src/database/AgentsDatabase';
import { RunEventLog } from '../plugins/agents-backend/src/database/RunEventLog';
import { AttemptEventWriter } from '../plugins/agents-backend/src/dispatch/AttemptEventWriter';
import { Redactor } from '../plugins/agents-backend/src/dispatch/Redactor';
import { AgentMuxRuntime } from '../plugins/agents-backend/src/runtimes/agentMux/AgentMuxRuntime';
import { AgentMuxTestGateway } from '../plugins/agents-backend/src/__testUtils__/agentMux';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
}
const dialect = (args.get('dialect') ?? 'sqlite') as 'pg' | 'sqlite';
const total = Number(args.get('events') ?? 60_000);
const muxDeltas = Number(args.get('mux-deltas') ?? 3_000);
const pgUrl =
  args.get('pg') ??
  process.env.KRATE_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
const pgDatabase = 'krate_bench_events';
const dataDir = mkdtempSync(join(tmpdir(), 'krate-bench-events-'));

/** A text delta of the size a streaming agent emits. */
function payload(i: number) {
  return {
    type: 'text' as const,
    text: `token ${i} of the agent's answer, about as long as a streamed chunk`,
  };
}

async function openDatabase(): Promise<Knex> {
  if (dialect === 'pg') {
    const admin = knexFactory({ client: 'pg', connection: pgUrl });
    await admin.raw(`drop database if exists ${pgDatabase}`);
    await admin.raw(`create database ${pgDatabase}`);
    await admin.destroy();
    return knexFactory({
      client: 'pg',
      connection: `${pgUrl}/${pgDatabase}`,
      pool: { min: 1, max: 4 },
    });
  }
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dataDir, 'events.sqlite') },
    useNullAsDefault: true,
  });
}

async function rawInsert(knex: Knex): Promise<number> {
  const now = Date.now();
  const rows = Array.from({ length: total }, (_, i) => ({
    namespace: 'bench',
    run: 'raw-run',
    seq: i + 1,
    attempt: 'raw-run-1',
    type: 'text',
    time: now,
    payload: JSON.stringify(payload(i)),
  }));
  // knex renders SQLite multi-row inserts as a compound SELECT, capped at 500 terms.
  const chunk = dialect === 'pg' ? 1000 : 450;
  const start = performance.now();
  await knex.transaction(async tx => {
    await knex.batchInsert('agents_run_events', rows, chunk).transacting(tx);
  });
  return performance.now() - start;
}

async function throughLog(knex: Knex) {
  const log = new RunEventLog(knex);
  const ref = { namespace: 'bench', run: 'log-run' };
  const leases = new AttemptLeases(knex, {
    owner: 'bench',
    durationMs: 60_000,
  });
  await leases.enqueue({ ...ref, attempt: 'log-run-1' });
  const writer = new AttemptEventWriter({
    log,
    redactor: new Redactor(['a-configured-gateway-token']),
    ...ref,
    attempt: 'log-run-1',
    nextSeq: 1,
  });

  // The live subscriber: woken by appends, reads pages after its last seq, checks the order.
  let received = 0;
  let lastSeq = 0;
  let gapsOrDuplicates = 0;
  const subscriber = new Promise<void>(resolve => {
    let reading = false;
    let again = false;
    const read = async () => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      do {
        again = false;
        for (;;) {
          const page = await log.read(ref, { sinceSeq: lastSeq, limit: 5000 });
          for (const event of page) {
            if (event.seq !== lastSeq + 1) {
              gapsOrDuplicates += 1;
            }
            lastSeq = event.seq;
            received += 1;
          }
          if (page.length < 5000) break;
        }
      } while (again);
      reading = false;
      if (received >= total) {
        unsubscribe();
        resolve();
      }
    };
    const unsubscribe = log.onAppended(ref, () => void read());
  });

  const start = performance.now();
  for (let i = 0; i < total; i++) {
    writer.push(payload(i));
    if (i % 1000 === 999) {
      // A runtime's stream arrives in chunks; let the event loop breathe between them.
      await new Promise(resolve => setImmediate(resolve));
    }
  }
  await writer.drain();
  await subscriber;
  const elapsed = performance.now() - start;
  return { elapsed, received, gapsOrDuplicates, lastSeq };
}

const silentLogger: LoggerService = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
};

/**
 * One Claude answer of `muxDeltas` text deltas through the test gateway (a `log` line before
 * each, an empty message_stop, then the result's final text, paced below the gateway's buffer
 * limit) and the agent-mux runtime into the event log.
 */
async function throughAgentMux(knex: Knex) {
  const words = Array.from({ length: muxDeltas }, (_, i) => `token ${i} `);
  const answer = words.join('');
  const gateway = await AgentMuxTestGateway.start({
    harness: async run => {
      run.startSession();
      await run.settled();
      for (const [i, delta] of words.entries()) {
        run.emit({ type: 'text_delta', delta, accumulated: delta });
        if (i % 200 === 199) {
          await run.settled();
        }
      }
      await run.settled();
      run.emit({ type: 'message_stop', text: '' });
      run.print('{"type":"assistant"}');
      run.emit({ type: 'message_stop', text: answer });
    },
  });
  const log = new RunEventLog(knex);
  const ref = { namespace: 'bench', run: 'mux-run' };
  const attempt = 'mux-run-1';
  await new AttemptLeases(knex, { owner: 'bench', durationMs: 60_000 }).enqueue(
    { ...ref, attempt },
  );
  const writer = new AttemptEventWriter({
    log,
    redactor: new Redactor([gateway.token]),
    ...ref,
    attempt,
    nextSeq: 1,
  });
  const allow = async () => ({ decision: 'allow' as const, reason: 'bench' });
  let runId = '';
  const host: AgentAttemptHost = {
    emit: (event, options) => writer.push(event, options?.runtimeSeq),
    bindRuntimeRun: async id => {
      runId = id;
    },
    bindSession: async () => undefined,
    authorize: allow,
    awaitApproval: allow,
    signal: new AbortController().signal,
    logger: silentLogger,
  };
  try {
    const runtime = new AgentMuxRuntime({
      url: gateway.url,
      token: gateway.token,
    });
    const outcome = await runtime.run(
      {
        namespace: ref.namespace,
        run: ref.run,
        attempt,
        attemptKind: 'initial',
        prompt: 'Count your tokens',
        workingDirectory: dataDir,
        profile: {
          stack: 'bench',
          runtime: 'agent-mux',
          approvalMode: 'never',
          allowSelfApproval: false,
          mcpServers: [],
          skills: [],
          subagents: [],
          defaultContextLabels: [],
        },
      },
      host,
    );
    await writer.drain();
    const texts: string[] = [];
    for (let sinceSeq = 0; ; ) {
      const page = await log.read(ref, { sinceSeq, limit: 5000 });
      page
        .filter(e => e.type === 'text')
        .forEach(e => texts.push((e as { text: string }).text));
      if (page.length < 5000) break;
      sinceSeq = page[page.length - 1].seq;
    }
    const stored = gateway.history(runId);
    return {
      outcome: `${outcome.phase}/${outcome.reason}`,
      deltas: stored.filter(e => e.event.type === 'text_delta').length,
      logLines: stored.filter(e => e.event.type === 'log').length,
      textEvents: texts.length,
      answerOnce: texts.join('') === answer,
    };
  } finally {
    await gateway.close();
  }
}

async function main() {
  const knex = await openDatabase();
  try {
    await AgentsDatabase.create({
      database: { getClient: async () => knex } as any,
    });
    const rawMs = await rawInsert(knex);
    const log = await throughLog(knex);
    const rawRate = total / (rawMs / 1000);
    const logRate = total / (log.elapsed / 1000);
    const lines = [
      `dialect: ${dialect}, events: ${total}`,
      `raw knex batch insert: ${rawMs.toFixed(0)} ms, ${rawRate.toFixed(
        0,
      )} events/s`,
      `event log → live subscriber: ${log.elapsed.toFixed(
        0,
      )} ms, ${logRate.toFixed(0)} events/s`,
      `received ${log.received} of ${total}, last seq ${log.lastSeq}, gaps or duplicates: ${log.gapsOrDuplicates}`,
      `ratio log/raw: ${(logRate / rawRate).toFixed(
        2,
      )} (target ≥ 0.50); ≥ 6000 events/s: ${logRate >= 6000 ? 'yes' : 'no'}`,
    ];
    if (muxDeltas > 0) {
      const mux = await throughAgentMux(knex);
      lines.push(
        `agent mux (${mux.outcome}): ${mux.deltas} text deltas and ${
          mux.logLines
        } log lines stored by the gateway → ${
          mux.textEvents
        } stored text events, ${(mux.textEvents / mux.deltas).toFixed(
          4,
        )} stored text events per delta; answer in the transcript once: ${
          mux.answerOnce ? 'yes' : 'no'
        }`,
      );
    }
    console.log(lines.join('\n'));
  } finally {
    await knex.destroy();
    if (dialect === 'pg') {
      const admin = knexFactory({ client: 'pg', connection: pgUrl });
      await admin.raw(`drop database if exists ${pgDatabase}`);
      await admin.destroy();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
