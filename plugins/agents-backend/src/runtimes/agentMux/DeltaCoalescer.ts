import { RunEventPayload } from '@krate/plugin-agents-common';
import { unseenTail } from './unseenTail';

/** What deltas are coalesced into. */
export type DeltaKind = 'text' | 'thinking' | 'stdout' | 'stderr';

/** The text of one message: chunks already emitted and deltas not emitted yet. */
interface MessageText {
  emitted: string;
  pending: string;
  seq: number;
}

const FLUSH_CHARS = 16_384;

/**
 * Coalesces streamed deltas instead of storing one event per delta: text into whole messages,
 * thinking and shell output into chunks that end at the next other event. Agent Mux drops
 * deltas under load but not a message's final text, so a `message_stop` text replaces what the
 * deltas built. Its Claude adapter ends a message twice, with an empty `message_stop` and then
 * one carrying the final text: the text of an empty stop is held back until it is clear which
 * one it is.
 */
export class DeltaCoalescer {
  readonly #emit: (event: RunEventPayload, seq: number) => void;
  #buffer?: { kind: DeltaKind; text: string; seq: number };
  /** Text of the current message already emitted as chunks. */
  #messageEmitted = '';
  /** A message an empty `message_stop` ended; a final text may still replace its deltas. */
  #held?: MessageText;
  #lastMessage?: string;

  constructor(emit: (event: RunEventPayload, seq: number) => void) {
    this.#emit = emit;
  }

  append(kind: DeltaKind, delta: unknown, seq: number): void {
    if (typeof delta !== 'string' || !delta) {
      return;
    }
    this.#release();
    if (this.#buffer && this.#buffer.kind !== kind) {
      this.#flushBuffer();
    }
    this.#buffer = { kind, text: (this.#buffer?.text ?? '') + delta, seq };
    if (this.#buffer.text.length >= FLUSH_CHARS) {
      this.#flushBuffer();
    }
  }

  messageStart(): void {
    this.flush();
    this.#messageEmitted = '';
  }

  messageStop(final: string, seq: number): void {
    const current = this.#takeMessage(seq);
    if (!final) {
      if (current) {
        this.#release();
        this.#held = current;
      }
      return;
    }
    const message = current ?? this.#held;
    this.#held = undefined;
    let rest = final;
    if (message) {
      rest = unseenTail(final, message.emitted, message.pending);
    } else if (final === this.#lastMessage) {
      rest = '';
    }
    if (rest) {
      this.#emit({ type: 'text', text: rest }, seq);
    }
    this.#lastMessage = final;
  }

  /** Emits what is buffered or held. */
  flush(): void {
    this.#release();
    this.#flushBuffer();
  }

  /** Emits what is buffered and forgets the last message (a new run starts). */
  reset(): void {
    this.flush();
    this.#messageEmitted = '';
    this.#lastMessage = undefined;
  }

  /** Ends the current message: its emitted chunks and pending text, if it has any text. */
  #takeMessage(seq: number): MessageText | undefined {
    let pending = '';
    if (this.#buffer?.kind === 'text') {
      pending = this.#buffer.text;
      this.#buffer = undefined;
    } else {
      this.#flushBuffer();
    }
    const emitted = this.#messageEmitted;
    this.#messageEmitted = '';
    return emitted || pending ? { emitted, pending, seq } : undefined;
  }

  /** No final text came for the held message: its deltas stand. */
  #release() {
    const held = this.#held;
    if (!held) {
      return;
    }
    this.#held = undefined;
    if (held.pending) {
      this.#emit({ type: 'text', text: held.pending }, held.seq);
    }
    this.#lastMessage = held.emitted + held.pending;
  }

  #flushBuffer() {
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
}
