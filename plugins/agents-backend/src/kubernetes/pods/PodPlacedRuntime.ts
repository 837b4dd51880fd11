import {
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentLaunch,
  AgentRuntime,
  AgentRuntimeAvailability,
  AgentRuntimeCapabilities,
} from '@krate/plugin-agents-node';
import { RunnerPool } from '../RunnerPool';
import { PodAttemptRunner } from './PodAttemptRunner';
import { podOfRunId } from './podNames';

/**
 * A runtime whose attempts run in a runner pod when their stack's `runnerPolicy.pool` names a
 * configured pool, and on this host as before otherwise. Pod-placed attempts outlive the
 * backend, so it declares `reattach`; a recovered attempt of the runtime that is not bound to a
 * pod fails with RuntimeLost exactly as the runtime itself would answer when it cannot re-attach.
 */
export class PodPlacedRuntime implements AgentRuntime {
  readonly #runtime: AgentRuntime;
  readonly #pools: ReadonlyMap<string, RunnerPool>;
  readonly #runner: PodAttemptRunner;
  readonly capabilities: AgentRuntimeCapabilities;

  constructor(
    runtime: AgentRuntime,
    pools: ReadonlyMap<string, RunnerPool>,
    runner: PodAttemptRunner,
  ) {
    this.#runtime = runtime;
    this.#pools = pools;
    this.#runner = runner;
    this.capabilities = { ...runtime.capabilities, reattach: true };
  }

  get id() {
    return this.#runtime.id;
  }

  get displayName() {
    return this.#runtime.displayName;
  }

  async checkAvailability(): Promise<AgentRuntimeAvailability> {
    return (await this.#runtime.checkAvailability?.()) ?? { available: true };
  }

  run(
    launch: AgentLaunch,
    host: AgentAttemptHost,
  ): Promise<AgentAttemptOutcome> {
    const pool = this.#pools.get(launch.profile.runnerPolicy?.pool);
    const reattach = launch.reattach;
    const pod = reattach && podOfRunId(reattach.runtimeRunId);
    if (pod) {
      return pool
        ? this.#runner.reattach(launch, host, pod, pool)
        : Promise.resolve({
            phase: 'Failed',
            reason: 'RuntimeLost',
            message: `The attempt ran in pod ${pod.namespace}/${pod.name}, but its runner pool ${launch.profile.runnerPolicy?.pool} is no longer configured; the backend cannot follow it. Retry the run.`,
          });
    }
    if (reattach && !this.#runtime.capabilities.reattach) {
      return Promise.resolve({
        phase: 'Failed',
        reason: 'RuntimeLost',
        message: `The backend instance driving this attempt stopped; the ${this.id} runtime cannot re-attach to its work. Retry or resume the run.`,
      });
    }
    if (pool && !reattach) {
      return this.#runner.start(this.id, launch, host, pool);
    }
    return this.#runtime.run(launch, host);
  }
}
