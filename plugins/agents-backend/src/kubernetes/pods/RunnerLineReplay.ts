import {
  AgentActionRequest,
  AgentAttemptHost,
  AgentAttemptOutcome,
} from '@krate/plugin-agents-node';
import { AttemptHost } from '../../dispatch/AttemptHost';
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
 *
 * An approval request opens its AgentApproval through the host's own `authorize` (without
 * waiting: the pod reads the decision itself), once per interaction id: ids already asked in
 * this follow, or before a restart (`asked`, from the re-attached launch), are not asked again.
 * The pod's `approval_decided` event, replayed like any other, brings the attempt back to
 * Running.
 */
export class RunnerLineReplay {
  readonly #host: AgentAttemptHost;
  #lastSeq: number;
  #checkpointed: number;
  #session?: string;
  /** The host calls that follow lines (session, approvals), in order. */
  #work: Promise<void> = Promise.resolve();
  readonly #asked: Set<string>;
  #tail: string[] = [];
  outcome?: AgentAttemptOutcome;

  constructor(
    host: AgentAttemptHost,
    options: { lastSeq: number; session?: string; asked?: Iterable<string> },
  ) {
    this.#host = host;
    this.#lastSeq = options.lastSeq;
    this.#checkpointed = options.lastSeq;
    this.#session = options.session;
    this.#asked = new Set(options.asked);
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
      const host = this.#host;
      if (
        line.event.type === 'approval_decided' &&
        host instanceof AttemptHost
      ) {
        const reason = line.event.reason ?? line.event.decision;
        this.#then(() =>
          host
            .approvalSettled(reason)
            .catch(error =>
              host.logger.warn(`Could not set the attempt Running: ${error}`),
            ),
        );
      }
    } else if ('session' in line) {
      if (line.session !== this.#session) {
        this.#session = line.session;
        const session = line.session;
        this.#then(() => this.#host.bindSession(session));
      }
    } else if ('approval' in line) {
      this.#open(line.approval);
    } else {
      this.outcome = line.outcome;
    }
  }

  #then(call: () => Promise<unknown>) {
    this.#work = this.#work.then(async () => {
      await call();
    });
  }

  #open(request: AgentActionRequest & { interactionId: string }) {
    const id = request.interactionId;
    if (this.#asked.has(id)) return;
    this.#asked.add(id);
    this.#work = this.#work.then(async () => {
      try {
        const decision = await this.#host.authorize(request, { wait: false });
        if (!decision.pending) {
          this.#host.logger.warn(
            `The runner pod asked for a human decision on ${request.actionClass} ${request.target}, but policy here says ${decision.decision}; the pod waits for an approval that does not exist`,
          );
        }
      } catch (error) {
        // Not opened: the next read of the log asks again.
        this.#asked.delete(id);
        this.#host.logger.warn(
          `Could not open the approval the runner pod asked for (${id}): ${error}`,
        );
      }
    });
  }

  /** Stores what was emitted so far as the point a re-attached attempt resumes from. */
  async checkpoint(): Promise<void> {
    const seq = this.#lastSeq;
    await this.#work;
    if (seq > this.#checkpointed) {
      await this.#host.checkpoint(seq);
      this.#checkpointed = seq;
    }
  }
}
