import { RunEventPayload } from '@krate/plugin-agents-common';

/** What deltas are coalesced into. */
export type DeltaKind = 'text' | 'thinking' | 'stdout' | 'stderr';

const FLUSH_CHARS = 16_384;

/**
 * Coalesces streamed deltas instead of storing one event per delta: text into whole messages,
 * thinking and shell output into chunks that end at the next other event. At `message_stop`
 * the message's own text wins over the deltas, because Agent Mux drops deltas under load but
 * not the final text; the final answer it repeats as a message of its own is skipped.
 */
export class DeltaCoalescer {
  readonly #emit: (event: RunEventPayload, seq: number) => void;
  #buffer?: { kind: DeltaKind; text: string; seq: number };
  /** Text of the current message already emitted as chunks. */
  #messageEmitted = '';
  #lastMessage?: string;

  constructor(emit: (event: RunEventPayload, seq: number) => void) {
    this.#emit = emit;
  }

  append(kind: DeltaKind, delta: unknown, seq: number): void {
    if (this.#buffer && this.#buffer.kind !== kind) {
      this.flush();
    }
    if (typeof delta !== 'string' || !delta) {
      return;
    }
    this.#buffer = { kind, text: (this.#buffer?.text ?? '') + delta, seq };
    if (this.#buffer.text.length >= FLUSH_CHARS) {
      this.flush();
    }
  }

  messageStart(): void {
    this.flush();
    this.#messageEmitted = '';
  }

  messageStop(final: string, seq: number): void {
    const pending = this.#buffer?.kind === 'text' ? this.#buffer.text : '';
    if (pending) {
      this.#buffer = undefined;
    } else {
      this.flush();
    }
    const seen = this.#messageEmitted + pending;
    let remaining = pending;
    if (final) {
      if (!seen && final === this.#lastMessage) {
        remaining = '';
      } else if (final.startsWith(this.#messageEmitted)) {
        remaining = final.slice(this.#messageEmitted.length);
      }
    }
    if (remaining) {
      this.#emit({ type: 'text', text: remaining }, seq);
    }
    this.#lastMessage = final || seen || this.#lastMessage;
    this.#messageEmitted = '';
  }

  /** Emits what is buffered. */
  flush(): void {
    const buffer = this.#buffer;
    if (!buffer) {
      return;
    }
    this.#buffer = undefined;
    if (buffer.kind === 'text') {
      this.#messageEmitted += buffer.text;
      this.#emit({ type: 'text', text: buffer.text }, buffer.seq);
    } else if (buffer.kind === 'thinking') {
      this.#emit({ type: 'thinking', text: buffer.text }, buffer.seq);
    } else {
      this.#emit(
        { type: 'shell_output', stream: buffer.kind, text: buffer.text },
        buffer.seq,
      );
    }
  }

  /** Emits what is buffered and forgets the last message (a new run starts). */
  reset(): void {
    this.flush();
    this.#messageEmitted = '';
    this.#lastMessage = undefined;
  }
}
