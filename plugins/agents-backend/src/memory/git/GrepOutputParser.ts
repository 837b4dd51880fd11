/** One matching line: its file, its 1-based line number and its text. */
export interface GrepMatch {
  path: string;
  line: number;
  text: string;
}

const NUL = 0x00;
const LF = 0x0a;

/**
 * Parses `git grep -n --null <commit>` output as it streams: records of
 * `<commit>:<path>\0<line>\0<text>\n`. It keeps at most `maxMatches` matches and reads at most
 * `maxBytes` bytes, so that a pattern matching everything cannot take unbounded memory.
 */
export class GrepOutputParser {
  readonly matches: GrepMatch[] = [];
  /** Whether a limit stopped the parser before the output ended. */
  truncated = false;
  readonly #prefix: string;
  readonly #maxMatches: number;
  #bytesLeft: number;
  #pending = Buffer.alloc(0);

  constructor(options: {
    commit: string;
    maxMatches: number;
    maxBytes: number;
  }) {
    this.#prefix = `${options.commit}:`;
    this.#maxMatches = options.maxMatches;
    this.#bytesLeft = options.maxBytes;
  }

  /** Takes the next chunk of output; false once no more is wanted. */
  push(chunk: Buffer): boolean {
    if (this.truncated) return false;
    const taken = chunk.subarray(0, this.#bytesLeft);
    this.#bytesLeft -= taken.length;
    this.#pending = this.#pending.length
      ? Buffer.concat([this.#pending, taken])
      : taken;
    this.#parseRecords();
    if (
      this.matches.length >= this.#maxMatches ||
      taken.length < chunk.length
    ) {
      this.truncated = true;
      return false;
    }
    return true;
  }

  #parseRecords() {
    const buffer = this.#pending;
    let start = 0;
    while (this.matches.length < this.#maxMatches) {
      // A path may hold a line break but no NUL, and a line's text holds no line break.
      const pathEnd = buffer.indexOf(NUL, start);
      if (pathEnd < 0) break;
      const lineEnd = buffer.indexOf(NUL, pathEnd + 1);
      if (lineEnd < 0) break;
      const textEnd = buffer.indexOf(LF, lineEnd + 1);
      if (textEnd < 0) break;
      const name = buffer.toString('utf8', start, pathEnd);
      this.matches.push({
        path: name.startsWith(this.#prefix)
          ? name.slice(this.#prefix.length)
          : name,
        line: Number(buffer.toString('latin1', pathEnd + 1, lineEnd)),
        text: buffer.toString('utf8', lineEnd + 1, textEnd),
      });
      start = textEnd + 1;
    }
    this.#pending = buffer.subarray(start);
  }
}
