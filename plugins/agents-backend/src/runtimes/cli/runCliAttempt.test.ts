import { RecordingHost } from '../../__testUtils__/recordingHost';
import {
  assertNothingLeftIn,
  TempDirs,
  testLaunch,
} from '../../__testUtils__/cliTestKit';
import { CliLocator } from './CliLocator';
import { CliAttemptDriver, runCliAttempt } from './runCliAttempt';
import { SessionArchive } from './SessionArchive';

/** A stand-in CLI that says it started, then hangs like a stalled model call. */
const HANGING_CLI = {
  file: process.execPath,
  args: ['-e', 'console.log("started"); setInterval(() => {}, 1000)'],
};

const driver: CliAttemptDriver = {
  runtimeId: 'stand-in',
  displayName: 'Stand-in CLI',
  configDirName: 'stand-in',
  sessionFilesUnder: 'sessions',
  toAction: () => ({ actionClass: 'tool', target: 'nothing' }),
  prepare: async () => ({ args: [], env: {} }),
  parse: line => [{ type: 'text', text: line }],
  sessionId: () => undefined,
  outcome: () => ({ phase: 'Succeeded', reason: 'Completed' }),
};

describe('runCliAttempt', () => {
  const temp = new TempDirs();

  afterEach(() => temp.cleanup());

  function run(host: RecordingHost, timeoutSeconds?: number) {
    const attempts = temp.make('cli-attempts');
    const outcome = runCliAttempt(
      testLaunch(
        { workingDirectory: temp.make('cli-work') },
        timeoutSeconds ? { runnerPolicy: { timeoutSeconds } } : {},
      ),
      host,
      driver,
      {
        locator: { command: async () => HANGING_CLI } as unknown as CliLocator,
        sessions: {} as SessionArchive,
        approvalTimeoutSeconds: 60,
        cancelGraceMs: 500,
        tempDir: attempts,
      },
    );
    return { outcome, attempts };
  }

  it('stops the CLI and fails TimedOut when the runner policy budget is spent', async () => {
    const host = new RecordingHost();
    const started = Date.now();
    const { outcome, attempts } = run(host, 1);

    await expect(outcome).resolves.toEqual({
      phase: 'Failed',
      reason: 'TimedOut',
      message:
        'The attempt ran out of its 1 s budget (runnerPolicy.timeoutSeconds)',
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(host.events).toEqual([
      { type: 'text', text: 'started' },
      expect.objectContaining({ type: 'error', code: 'TimedOut' }),
    ]);
    assertNothingLeftIn(attempts);
  });

  it('still reports a cancel as Cancelled', async () => {
    const host = new RecordingHost();
    const { outcome } = run(host, 60);
    await host.waitFor(e => e.type === 'text');
    host.cancel();
    await expect(outcome).resolves.toMatchObject({
      phase: 'Cancelled',
      reason: 'Cancelled',
    });
  });
});
