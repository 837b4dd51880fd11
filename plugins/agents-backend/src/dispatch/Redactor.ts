export const REDACTED = '[REDACTED]';

/** Strings that look like credentials whatever their context. */
const SECRET_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}\b/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g,
  /(?<=\bBearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g,
];

/** `password=…`, `"apiKey": "…"`: the value goes, the key stays so the reader knows what it was. */
const ASSIGNMENT =
  /((?:password|passwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)["']?\s*[:=]\s*["']?)([^\s"',;\\]{6,})/gi;

/**
 * Removes secret values from text before it is stored or shown: the values of secrets Krate knows
 * (configured tokens and keys) and anything shaped like a credential.
 */
export class Redactor {
  readonly #values: string[];

  constructor(knownSecretValues: string[] = []) {
    // Longest first, so a secret containing another is replaced whole.
    this.#values = [...new Set(knownSecretValues)]
      .filter(value => value.length >= 4)
      .sort((a, b) => b.length - a.length);
  }

  /** A redactor that also removes `values`, e.g. the secrets granted to one attempt. */
  with(values: string[]): Redactor {
    return values.length ? new Redactor([...this.#values, ...values]) : this;
  }

  /**
   * Whether the text holds one of the known secret values (not merely something shaped like a
   * credential, which code under review legitimately has).
   */
  holdsKnownValue(text: string): boolean {
    return this.#values.some(value => text.includes(value));
  }

  /** The redacted text and how many spans were replaced. */
  redact(text: string): { text: string; count: number } {
    let count = 0;
    let result = text;
    for (const value of this.#values) {
      if (result.includes(value)) {
        const parts = result.split(value);
        count += parts.length - 1;
        result = parts.join(REDACTED);
      }
    }
    for (const pattern of SECRET_PATTERNS) {
      const matches = result.match(pattern)?.length ?? 0;
      if (matches > 0) {
        count += matches;
        result = result.replace(pattern, REDACTED);
      }
    }
    result = result.replace(
      ASSIGNMENT,
      (_match, key: string, value: string) => {
        if (value === REDACTED) {
          return `${key}${value}`;
        }
        count += 1;
        return `${key}${REDACTED}`;
      },
    );
    return { text: result, count };
  }

  /** Redacts every string inside a JSON value. */
  redactJson<T>(value: T): T {
    const serialized = JSON.stringify(value);
    if (serialized === undefined) {
      return value;
    }
    const { text, count } = this.redact(serialized);
    return count === 0 ? value : (JSON.parse(text) as T);
  }
}
