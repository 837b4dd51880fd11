/** What the core holds for a run until the gateway stores it. */
export type BufferItem =
  | { kind: 'event'; event: Record<string, unknown> }
  | {
      kind: 'gate';
      event: Record<string, unknown>;
      payload: Record<string, unknown>;
    }
  | { kind: 'skip'; count: number }
  | { kind: 'overflow' };

/** The `debug` message Agent Mux's core emits at its high-water mark, loss or not. */
export function overflowMessage(hwm: number): string {
  return `Event buffer overflow: events dropped (HWM=${hwm})`;
}

/**
 * The bounded buffer of Agent Mux's core between a harness and the gateway's store. Like the
 * real one it keeps events after delivering them, until it holds `hwm` events: then it evicts the
 * delivered ones and emits its overflow notice although nothing was lost, and only with nothing
 * delivered left to evict does it drop events (before they get a seq). Its notice says the same
 * in both cases.
 */
export class CoreEventBuffer {
  /** Events dropped before they got a seq. */
  dropped = 0;
  readonly #hwm: number;
  #items: BufferItem[] = [];
  /** Events already delivered that the core still holds. */
  #retained = 0;
  #lossNoticeQueued = false;

  constructor(hwm: number) {
    this.#hwm = hwm;
  }

  get length(): number {
    return this.#items.length;
  }

  /** Takes an event the harness printed; false when it was dropped. */
  offer(event: Record<string, unknown>): boolean {
    if (this.#retained + this.#items.length >= this.#hwm) {
      if (this.#retained === 0) {
        this.dropped += 1;
        if (!this.#lossNoticeQueued) {
          this.#lossNoticeQueued = true;
          this.#items.push({ kind: 'overflow' });
        }
        return false;
      }
      this.#retained = 0;
      this.#items.push({ kind: 'overflow' });
    }
    this.#items.push({ kind: 'event', event });
    return true;
  }

  /** Queues what is not a printed event (a gated tool start, skipped seqs). */
  push(item: BufferItem): void {
    this.#items.push(item);
  }

  shift(): BufferItem | undefined {
    const item = this.#items.shift();
    if (item?.kind === 'overflow') {
      this.#lossNoticeQueued = false;
    }
    return item;
  }

  /** An event was stored (delivered to the gateway); the core keeps it until the next eviction. */
  delivered(): void {
    this.#retained += 1;
  }

  clear(): void {
    this.#items = [];
    this.#lossNoticeQueued = false;
  }
}
