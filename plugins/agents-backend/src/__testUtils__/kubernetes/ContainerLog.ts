/** One line a container wrote, with when the double read it. */
export interface LogLine {
  time: Date;
  text: string;
  /** False for the unterminated rest a container left when it exited. */
  complete: boolean;
}

/**
 * What a container wrote to stdout and stderr, interleaved line by line in the order it
 * arrived, kept until the pod is deleted. Followers get each new line and the end.
 */
export class ContainerLog {
  readonly lines: LogLine[] = [];
  private readonly partial = new Map<string, string>();
  private readonly followers = new Set<{
    line: (line: LogLine) => void;
    end: () => void;
  }>();
  private ended = false;

  get isEnded() {
    return this.ended;
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer | string) {
    const text = (this.partial.get(stream) ?? '') + chunk.toString();
    const parts = text.split('\n');
    this.partial.set(stream, parts.pop() ?? '');
    for (const part of parts) this.push(part, true);
  }

  /** The container exited: flushes unterminated lines and ends every follow. */
  end() {
    if (this.ended) return;
    for (const [stream, rest] of this.partial) {
      if (rest) this.push(rest, false);
      this.partial.delete(stream);
    }
    this.ended = true;
    for (const follower of [...this.followers]) follower.end();
    this.followers.clear();
  }

  follow(line: (line: LogLine) => void, end: () => void): () => void {
    if (this.ended) {
      end();
      return () => undefined;
    }
    const follower = { line, end };
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }

  private push(text: string, complete: boolean) {
    const line = { time: new Date(), text, complete };
    this.lines.push(line);
    for (const follower of this.followers) follower.line(line);
  }
}
