import { LaunchSecrets } from '@krate/plugin-agents-node';
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

/** A stand-in CLI that reports what it was given and, like a careless tool, prints a value. */
const ENV_CLI = {
  file: process.execPath,
  args: [
    '-e',
    [
      'const env = process.env;',
      'console.log(`token ${env.DEMO_API_TOKEN === "skill-canary-8a7b" ? "given" : "missing"}`);',
      'console.log(`home ${env.HOME === "/granted/home" ? "granted" : "own"}`);',
      'console.error(`careless ${env.DEMO_API_TOKEN}`);',
    ].join(' '),
  ],
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

  function run(
    host: RecordingHost,
    timeoutSeconds?: number,
    cli = HANGING_CLI,
    secrets?: LaunchSecrets,
  ) {
    const attempts = temp.make('cli-attempts');
    const outcome = runCliAttempt(
      {
        ...testLaunch(
          { workingDirectory: temp.make('cli-work') },
          timeoutSeconds ? { runnerPolicy: { timeoutSeconds } } : {},
        ),
        secrets,
      },
      host,
      driver,
      {
        locator: { command: async () => cli } as unknown as CliLocator,
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

  it('gives the CLI the granted tool environment under its own variables and masks values on stderr', async () => {
    const host = new RecordingHost();
    const { outcome } = run(host, undefined, ENV_CLI, {
      mcpServers: {},
      environment: {
        DEMO_API_TOKEN: 'skill-canary-8a7b',
        HOME: '/granted/home',
      },
      values: ['skill-canary-8a7b', '/granted/home'],
    });

    await expect(outcome).resolves.toMatchObject({ phase: 'Succeeded' });
    expect(host.ofType('text').map(e => e.text)).toEqual([
      'token given',
      'home own',
    ]);
    expect(host.ofType('warning')).toEqual(
      expect.arrayContaining([
        {
          type: 'warning',
          code: 'ProfileNotApplied',
          message:
            'Granted variable HOME is not in the tool environment: the runtime sets HOME itself',
        },
        { type: 'warning', code: 'CliStderr', message: 'careless ***' },
      ]),
    );
    expect(JSON.stringify(host.events)).not.toContain('skill-canary-8a7b');
  });
});
