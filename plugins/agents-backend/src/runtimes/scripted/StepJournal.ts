import { AgentAttemptHost, AgentReattach } from '@krate/plugin-agents-node';
import { randomUUID } from 'node:crypto';
import { ScriptAction } from './parseStep';
import { StepFailure } from './StepFailure';

/** Steps whose only effect is on the event log: run again after a takeover rather than lost. */
const REPLAYABLE: ReadonlySet<ScriptAction['kind']> = new Set([
  'say',
  'think',
  'emit',
  'sleepMs',
  'fail',
  'readFile',
  'approval',
]);

/** Steps that ask for an authorization, which may be a human approval. */
const AUTHORIZING: ReadonlySet<ScriptAction['kind']> = new Set([
  'shell',
  'readFile',
  'writeFile',
  'patchFile',
  'approval',
]);

/** Steps that authorize first: their side effect starts after the decision. */
const AUTHORIZED_TOOLS: ReadonlySet<ScriptAction['kind']> = new Set([
  'shell',
  'writeFile',
  'patchFile',
]);

/**
 * Where the main agent's top-level steps stand, kept through host checkpoints so that an attempt
 * taken over after its instance died resumes after the last finished step and never runs a step
 * with side effects twice. Runtime seq 2k+1 says step k started its side effect, 2k+2 that it
 * finished; steps that only touch the event log take no checkpoint of their own (the next one
 * covers them, and a takeover before it plays them again). A step that started and did not finish may or may not have had its effect, so it is
 * not run again: the attempt fails with StepInterrupted. After the last of n steps, 2n+1 says the
 * script ended, so a takeover then reports nothing twice.
 */
export class StepJournal {
  readonly #host: AgentAttemptHost;
  /** Whether the attempt has its runtime run id: it is bound just before the first checkpoint. */
  #bound: boolean;
  /** The first step to run. */
  readonly resumeFrom: number;
  /** The step that was interrupted after its side effect started, if any. */
  readonly interrupted?: number;

  constructor(host: AgentAttemptHost, reattach?: AgentReattach) {
    this.#host = host;
    this.#bound = Boolean(reattach);
    const last = reattach?.lastRuntimeSeq ?? 0;
    if (last % 2 === 1) {
      this.interrupted = (last - 1) / 2;
      this.resumeFrom = this.interrupted;
    } else {
      this.resumeFrom = last / 2;
    }
  }

  static isReplayable(kind: ScriptAction['kind']) {
    return REPLAYABLE.has(kind);
  }

  static authorizes(kind: ScriptAction['kind']) {
    return AUTHORIZING.has(kind);
  }

  /** Whether the side effect starts inside the tool, after its authorization. */
  static startsAfterAuthorization(kind: ScriptAction['kind']) {
    return AUTHORIZED_TOOLS.has(kind);
  }

  /** Throws for the step that was interrupted. */
  checkNotInterrupted(index: number, where: string) {
    if (index === this.interrupted) {
      throw new StepFailure(
        'StepInterrupted',
        `${where} was running when the backend instance driving this attempt stopped; whether its effect happened is unknown, so it is not run again. Retry the run to start over.`,
      );
    }
  }

  /** Whether the script of `count` steps ended (cost and session end reported) before. */
  endedBefore(count: number) {
    return this.interrupted === count;
  }

  /** Marks the end of a script of `count` steps, after its cost and session end. */
  ended(count: number): Promise<void> {
    return this.started(count);
  }

  started(index: number): Promise<void> {
    return this.#checkpoint(2 * index + 1);
  }

  finished(index: number): Promise<void> {
    return this.#checkpoint(2 * index + 2);
  }

  /**
   * Until the run id is bound, a takeover starts the attempt over (`startsOverWhenUnbound`),
   * which only plays replayable steps again: nothing else ran before the first checkpoint.
   */
  async #checkpoint(runtimeSeq: number) {
    await this.bind();
    await this.#host.checkpoint(runtimeSeq);
  }

  /**
   * Binds the runtime run id, so that a takeover re-attaches rather than starts over; also before
   * a step asks for an approval, which a re-attached step finds again by its interaction id.
   */
  async bind() {
    if (!this.#bound) {
      await this.#host.bindRuntimeRun(`scripted-${randomUUID()}`);
      this.#bound = true;
    }
  }
}
