import {
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentAttemptStop,
  AgentLaunch,
} from '@krate/plugin-agents-node';
import { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { RunnerPool } from '../RunnerPool';
import { PodRef } from './podNames';
import { PodTiming, pause } from './PodTiming';
import { RUNNER_CONTAINER } from './runnerPodManifests';
import {
  notStartingReason,
  podFailedOutcome,
  runnerState,
} from './runnerPodState';
import { RunnerLineReplay } from './RunnerLineReplay';
import { RunnerPods } from './RunnerPods';
import { streamPodLog } from './streamPodLog';

/** How long a deleted pod may take to go, past its grace period, before the cancel ends anyway. */
const DELETE_SLACK_MS = 30_000;

export interface FollowOptions {
  pod: PodRef;
  pool: RunnerPool;
  launch: AgentLaunch;
  host: AgentAttemptHost;
  /** The last runtime seq stored: events up to it are in the log already. */
  lastSeq: number;
}

/**
 * Follows a runner pod to the attempt's outcome: waits for it to start, streams its log into
 * the attempt (following again, with backoff, when the stream breaks), and maps its end. The
 * outcome line wins; an exit without one is PodFailed, a pod deleted by someone else PodDeleted,
 * one that never starts PodNotStarted. A cancel or the spent budget deletes the pod; a
 * shutdown or a lost lease only stops following, and the pod runs on for the next instance.
 */
export class PodFollower {
  readonly #pods: RunnerPods;
  readonly #kubeConfig: KubeConfig;
  readonly #timing: PodTiming;

  constructor(options: {
    pods: RunnerPods;
    kubeConfig: KubeConfig;
    timing: PodTiming;
  }) {
    this.#pods = options.pods;
    this.#kubeConfig = options.kubeConfig;
    this.#timing = options.timing;
  }

  async follow(options: FollowOptions): Promise<AgentAttemptOutcome> {
    const { host, pod: ref } = options;
    const reattach = options.launch.reattach;
    const replay = new RunnerLineReplay(host, {
      lastSeq: options.lastSeq,
      session: options.launch.sessionId,
      asked: [
        ...(reattach?.pendingApprovals ?? []),
        ...(reattach?.decidedApprovals ?? []),
      ].flatMap(({ action }) =>
        action.interactionId ? [action.interactionId] : [],
      ),
    });
    const budget = new AbortController();
    let budgetTimer: NodeJS.Timeout | undefined;
    const signal = AbortSignal.any([host.signal, budget.signal]);
    const checkpoints = setInterval(
      () =>
        void replay
          .checkpoint()
          .catch(error => host.logger.warn(`Checkpoint failed: ${error}`)),
      this.#timing.checkpointMs,
    );
    try {
      let failures = 0;
      for (;;) {
        if (signal.aborted) {
          return await this.#stopped(options, replay);
        }
        try {
          const pod = await this.#pods.read(ref);
          if (!pod) {
            await replay.checkpoint();
            return (
              replay.outcome ?? {
                phase: 'Failed',
                reason: 'PodDeleted',
                message: `The runner pod ${ref.namespace}/${ref.name} was deleted before the attempt ended`,
              }
            );
          }
          budgetTimer ??= this.#startBudget(options, pod, budget);
          const state = runnerState(pod);
          if (state === 'terminated') {
            // The follow may have ended early or broken: read it all once more.
            replay.restart();
            await this.#stream(ref, replay, signal, false);
            await replay.checkpoint();
            return replay.outcome ?? podFailedOutcome(pod, ref, replay.tail);
          }
          if (state === 'waiting') {
            const why = notStartingReason(
              pod,
              Date.now(),
              this.#timing.pendingTimeoutMs,
            );
            if (why) {
              await this.#pods.delete(ref, 0);
              return {
                phase: 'Failed',
                reason: 'PodNotStarted',
                message: `The runner pod ${ref.namespace}/${ref.name} did not start: ${why}`,
              };
            }
            await pause(this.#timing.pollMs, signal);
            continue;
          }
          await this.#followRunning(ref, replay, signal);
          failures = 0;
        } catch (error) {
          if (signal.aborted) continue;
          failures += 1;
          host.logger.warn(
            `Following runner pod ${ref.namespace}/${ref.name} failed (${failures}), following again: ${error}`,
          );
          await pause(
            Math.min(
              this.#timing.pollMs * 2 ** (failures - 1),
              this.#timing.maxBackoffMs,
            ),
            signal,
          );
        }
      }
    } finally {
      clearInterval(checkpoints);
      clearTimeout(budgetTimer);
    }
  }

  /** Streams the running pod's log until it ends, or until the pod ends or goes. */
  async #followRunning(
    ref: PodRef,
    replay: RunnerLineReplay,
    signal: AbortSignal,
  ) {
    const watchdog = new AbortController();
    const stream = AbortSignal.any([signal, watchdog.signal]);
    const watching = this.#watch(ref, stream, watchdog);
    try {
      replay.restart();
      await this.#stream(ref, replay, stream, true);
    } catch (error) {
      // The watchdog's abort is no failure: the loop reads the ended pod next.
      if (signal.aborted || !watchdog.signal.aborted) throw error;
    } finally {
      watchdog.abort();
      await watching;
    }
  }

  /** Ends the stream once the pod has ended (after a moment to drain) or is gone. */
  async #watch(ref: PodRef, stream: AbortSignal, watchdog: AbortController) {
    while (!stream.aborted) {
      await pause(this.#timing.pollMs, stream);
      if (stream.aborted) return;
      const pod = await this.#pods.read(ref).catch(() => null);
      if (pod === undefined) {
        watchdog.abort();
      } else if (pod && runnerState(pod) === 'terminated') {
        await pause(this.#timing.drainMs, stream);
        watchdog.abort();
      }
    }
  }

  #stream(
    pod: PodRef,
    replay: RunnerLineReplay,
    signal: AbortSignal,
    follow: boolean,
  ) {
    return streamPodLog({
      kubeConfig: this.#kubeConfig,
      pod,
      container: RUNNER_CONTAINER,
      follow,
      signal,
      onLine: line => replay.line(line),
    });
  }

  /** The budget (`runnerPolicy.timeoutSeconds`) counts from the pod's start. */
  #startBudget(options: FollowOptions, pod: V1Pod, budget: AbortController) {
    const seconds = options.launch.profile.runnerPolicy?.timeoutSeconds;
    if (typeof seconds !== 'number' || seconds <= 0) return undefined;
    const started = Date.parse(
      String(pod.status?.startTime ?? pod.metadata?.creationTimestamp ?? ''),
    );
    const deadline =
      (Number.isFinite(started) ? started : Date.now()) + seconds * 1000;
    return setTimeout(
      () => budget.abort(),
      // Node fires at once for delays past a 32-bit millisecond count.
      Math.min(Math.max(0, deadline - Date.now()), 2 ** 31 - 1),
    );
  }

  async #stopped(
    options: FollowOptions,
    replay: RunnerLineReplay,
  ): Promise<AgentAttemptOutcome> {
    const { host, pod: ref, pool } = options;
    const reason = host.signal.reason;
    // A host aborted for no stated reason (a test's) counts as a cancel.
    let stop: string | undefined;
    if (host.signal.aborted) {
      stop = reason instanceof AgentAttemptStop ? reason.stopReason : 'cancel';
    }
    const where = `${ref.namespace}/${ref.name}`;
    if (stop === 'shutdown' || stop === 'lease-lost') {
      if (stop === 'shutdown') await replay.checkpoint().catch(() => undefined);
      return {
        phase: 'Failed',
        reason: 'Stopped',
        message: `Stopped following the runner pod ${where}; it runs on for the next backend instance`,
      };
    }
    const state = await this.#deleteAndWait(
      ref,
      pool.terminationGracePeriodSeconds,
    );
    await replay.checkpoint().catch(() => undefined);
    if (stop === 'cancel') {
      return {
        phase: 'Cancelled',
        reason: 'Cancelled',
        message: `Cancelled: the runner pod ${where} was ${state}`,
      };
    }
    const seconds = options.launch.profile.runnerPolicy?.timeoutSeconds;
    const message = `The attempt ran out of its ${seconds} s budget (runnerPolicy.timeoutSeconds); the runner pod ${where} was ${state}`;
    host.emit({ type: 'error', code: 'TimedOut', message });
    return { phase: 'Failed', reason: 'TimedOut', message };
  }

  /** Deletes the pod and waits for it to go; says how far it got. */
  async #deleteAndWait(ref: PodRef, graceSeconds: number): Promise<string> {
    try {
      await this.#pods.delete(ref, graceSeconds);
    } catch (error) {
      return `not deleted (${error})`;
    }
    const deadline = Date.now() + graceSeconds * 1000 + DELETE_SLACK_MS;
    while (Date.now() < deadline) {
      if ((await this.#pods.read(ref).catch(() => null)) === undefined) {
        return 'deleted';
      }
      await pause(this.#timing.pollMs);
    }
    return 'being deleted';
  }
}
