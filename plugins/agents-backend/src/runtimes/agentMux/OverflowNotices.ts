import { RunEventPayload } from '@krate/plugin-agents-common';

/**
 * Counts the "Event buffer overflow" notices of Agent Mux's core over an attempt. The core also
 * sends one when it only evicted events it had already delivered, so a notice proves no loss
 * (seq gaps and truncations do, and are reported where they happen): the attempt gets one
 * warning with the count instead of one per notice.
 */
export class OverflowNotices {
  #count = 0;
  #hwm?: string;

  /** Takes a `debug` message; false when it is no overflow notice. */
  note(message: string): boolean {
    if (!/buffer overflow/i.test(message)) {
      return false;
    }
    this.#count += 1;
    this.#hwm = /HWM=(\d+)/.exec(message)?.[1] ?? this.#hwm;
    return true;
  }

  /** The attempt's one warning, when there was any notice. */
  warning(): RunEventPayload | undefined {
    if (!this.#count) {
      return undefined;
    }
    const times =
      this.#count === 1
        ? 'an event buffer overflow once'
        : `${this.#count} event buffer overflows`;
    return {
      type: 'warning',
      code: 'GatewayBufferOverflow',
      message: `The Agent Mux gateway reported ${times}${
        this.#hwm ? ` (HWM=${this.#hwm})` : ''
      } during this attempt. It reports one also when it only evicted events it had already delivered, so this alone does not mean events were lost; lost seqs are logged as events_lost.`,
    };
  }
}
