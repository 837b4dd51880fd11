import {
  AgentAttemptHost,
  AgentAttemptOutcome,
} from '@krate/plugin-agents-node';
import { parseRunnerLine } from './runnerProtocol';

/** How many of the pod's other lines are kept for a PodFailed message. */
const TAIL_LINES = 20;

/**
 * Replays a runner pod's log onto the attempt's host. Every read starts at the log's beginning
 * (after a broken stream, after a restart), so events at or below the last seq already stored
 * are skipped; the others are emitted with their seq as the runtime seq, which the event log
 * stores with them, and checkpointed in batches. Lines outside the protocol are not events (they
 * carry no seq, so a second read could not tell them from new ones): the last few are kept for
 * the message of a pod that fails without an outcome, and the backend logs them at debug level.
 */
export class RunnerLineReplay {
  readonly #host: AgentAttemptHost;
  #lastSeq: number;
  #checkpointed: number;
  #session?: string;
  #sessionBinding: Promise<void> = Promise.resolve();
  #tail: string[] = [];
  outcome?: AgentAttemptOutcome;

  constructor(
    host: AgentAttemptHost,
    options: { lastSeq: number; session?: string },
  ) {
    this.#host = host;
    this.#lastSeq = options.lastSeq;
    this.#checkpointed = options.lastSeq;
    this.#session = options.session;
  }

  get lastSeq() {
    return this.#lastSeq;
  }

  /** The last lines outside the protocol of the current read. */
  get tail(): string[] {
    return [...this.#tail];
  }

  /** A new read from the log's beginning starts. */
  restart() {
    this.#tail = [];
  }

  line(text: string) {
    const line = parseRunnerLine(text);
    if (!line) {
      if (text.trim()) {
        this.#host.logger.debug(`runner pod: ${text}`);
        this.#tail.push(text);
        if (this.#tail.length > TAIL_LINES) this.#tail.shift();
      }
      return;
    }
    if ('seq' in line) {
      if (line.seq <= this.#lastSeq) return;
      if (line.seq > this.#lastSeq + 1) {
        this.#host.emit({
          type: 'events_lost',
          count: line.seq - this.#lastSeq - 1,
          fromSeq: this.#lastSeq + 1,
          toSeq: line.seq - 1,
          reason: "The runner pod's log no longer holds them",
        });
      }
      this.#host.emit(line.event, { runtimeSeq: line.seq });
      this.#lastSeq = line.seq;
    } else if ('session' in line) {
      if (line.session !== this.#session) {
        this.#session = line.session;
        const session = line.session;
        this.#sessionBinding = this.#sessionBinding.then(() =>
          this.#host.bindSession(session),
        );
      }
    } else {
      this.outcome = line.outcome;
    }
  }

  /** Stores what was emitted so far as the point a re-attached attempt resumes from. */
  async checkpoint(): Promise<void> {
    const seq = this.#lastSeq;
    await this.#sessionBinding;
    if (seq > this.#checkpointed) {
      await this.#host.checkpoint(seq);
      this.#checkpointed = seq;
    }
  }
}
