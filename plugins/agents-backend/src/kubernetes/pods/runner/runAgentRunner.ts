import {
  AgentAttemptOutcome,
  AgentAttemptStop,
} from '@krate/plugin-agents-node';
import { CREDENTIAL_ENV, DECISIONS_URL_ENV } from '../runnerDecisions';
import { launchSecretsFromEnv } from './launchSecretsFromEnv';
import { LAUNCH_FILE_ENV, readPodLaunchFile } from './PodLaunchFile';
import { RunnerDecisionReader } from './RunnerDecisionReader';
import { runnerRuntime } from './runnerRuntimes';
import { stderrLogger } from './stderrLogger';
import { StdoutAttemptHost } from './StdoutAttemptHost';

/**
 * The `krate-agent-runner` entry point of a runner pod: reads the attempt's launch file, runs
 * it on the same AgentRuntime the backend would run it on, and prints its events, session and
 * outcome as protocol lines on stdout. Actions that wait for a human are decided on the backend
 * and read back with the runner's credential. The credential and the granted values' variables
 * are taken out of the environment before the runtime starts. SIGTERM (the pod is deleted: a
 * cancel) stops the runtime, which then reports Cancelled. Resolves with the exit code: 0 when
 * the attempt succeeded, 1 when it did not or the runner could not start.
 *
 * @public
 */
export async function runAgentRunner(
  options: {
    env?: NodeJS.ProcessEnv;
    write?: (text: string) => void;
  } = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const write = options.write ?? (text => process.stdout.write(text));
  const logger = stderrLogger();
  const credential = env[CREDENTIAL_ENV];
  const decisionsUrl = env[DECISIONS_URL_ENV];
  delete env[CREDENTIAL_ENV];
  const abort = new AbortController();
  const stop = () => abort.abort(new AgentAttemptStop('cancel'));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    const file = env[LAUNCH_FILE_ENV];
    if (!file) {
      throw new Error(`${LAUNCH_FILE_ENV} names no launch file`);
    }
    const {
      runtime: id,
      launch: played,
      granted,
    } = await readPodLaunchFile(file);
    const secrets = launchSecretsFromEnv(granted, env);
    const launch = secrets ? { ...played, secrets } : played;
    const host = new StdoutAttemptHost({
      profile: launch.profile,
      write,
      signal: abort.signal,
      logger,
      ...(credential && decisionsUrl
        ? {
            decisions: new RunnerDecisionReader({
              url: decisionsUrl,
              credential,
              logger,
            }),
          }
        : {}),
    });
    let outcome: AgentAttemptOutcome;
    const found = await runnerRuntime(id, env, logger);
    if ('unavailable' in found) {
      const message = `The ${id} runtime cannot run in this pod: ${found.unavailable}`;
      host.emit({ type: 'error', code: 'RuntimeUnavailable', message });
      outcome = { phase: 'Failed', reason: 'RuntimeUnavailable', message };
    } else {
      try {
        outcome = await found.runtime.run(launch, host);
      } catch (error) {
        outcome = abort.signal.aborted
          ? { phase: 'Cancelled', reason: 'Cancelled' }
          : {
              phase: 'Failed',
              reason: 'RuntimeError',
              message: (error as Error).message,
            };
      }
    }
    host.outcome(outcome);
    return outcome.phase === 'Succeeded' ? 0 : 1;
  } catch (error) {
    logger.error(`The runner could not run the attempt: ${error}`);
    return 1;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
