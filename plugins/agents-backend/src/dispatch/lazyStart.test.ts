import {
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentLaunch,
  AgentRuntime,
} from '@krate/plugin-agents-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createTestDispatchEngine,
  testProfile,
} from '../__testUtils__/testDispatchEngine';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** Acts (asks to run a command) before it reports any session, then waits to be stopped. */
class ActsFirstRuntime implements AgentRuntime {
  readonly id = 'acts-first';
  readonly displayName = 'Acts first';
  readonly capabilities = {
    subagents: false,
    mcp: false,
    resume: false,
    approvals: 'enforced' as const,
  };
  authorized?: () => void;

  async run(
    _launch: AgentLaunch,
    host: AgentAttemptHost,
  ): Promise<AgentAttemptOutcome> {
    await host.authorize({ actionClass: 'shell', target: 'npm test' });
    this.authorized?.();
    await new Promise(resolve =>
      host.signal.addEventListener('abort', resolve, { once: true }),
    );
    return { phase: 'Cancelled', reason: 'Cancelled' };
  }
}

describe.each(databases.eachSupportedId())('a lazy start on %p', databaseId => {
  let dataDir: string;
  let engine: Awaited<ReturnType<typeof createTestDispatchEngine>>;
  afterEach(async () => {
    await engine?.worker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is written before the attempt may act, so a takeover knows it may have acted', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-lazy-start-'));
    const runtime = new ActsFirstRuntime();
    const authorized = new Promise<void>(resolve => {
      runtime.authorized = resolve;
    });
    engine = await createTestDispatchEngine({
      databases,
      databaseId,
      dataDir,
      runtimes: [runtime],
      profiles: [
        testProfile('acts-first', {
          runtime: 'acts-first',
          approvalMode: 'never',
        }),
      ],
    });
    const { dispatch, store } = engine;
    const run = await dispatch.dispatch(
      dispatch.draftRun(
        { namespace: 'acme', stack: 'acts-first', prompt: 'Go' },
        'user:default/alice',
      ),
      'user:default/alice',
    );
    await authorized;
    // Well inside the lazy wait of 3 s: only the flush before authorizing wrote it.
    const attempt = await store.get(
      'AgentDispatchAttempt',
      'acme',
      run.status!.currentAttempt!,
    );
    expect(attempt?.status).toMatchObject({
      phase: 'Running',
      reason: 'SessionBindingPending',
      startTime: expect.any(String),
    });
  });
});
