import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A backend replica in its own process (bench/lib/replica.ts), started from a config file. */
export class Replica {
  #child?: ChildProcess;

  constructor(readonly port: number, readonly configFile: string) {}

  get baseUrl() {
    return `http://127.0.0.1:${this.port}/api/agents`;
  }

  /** The process id while it runs (lease owners carry it). */
  get pid() {
    return this.#child?.pid;
  }

  get running() {
    return Boolean(
      this.#child && this.#child.exitCode === null && !this.#child.killed,
    );
  }

  /** Starts the process and waits until it serves. */
  async start(): Promise<void> {
    const child = fork(join(ROOT, 'bench/lib/replica.ts'), [this.configFile], {
      cwd: ROOT,
      execArgv: ['--require', '@backstage/cli/config/nodeTransform.cjs'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    });
    this.#child = child;
    await new Promise<void>((resolve, reject) => {
      // Backstage's TypeScript transform talks over the same channel; only 'ready' is ours.
      child.on('message', message => {
        if (message === 'ready') resolve();
      });
      child.once('exit', code =>
        reject(new Error(`replica on ${this.port} exited with ${code}`)),
      );
    });
  }

  /** SIGKILL: no shutdown hooks, leases left as they were. */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.#signal('SIGTERM');
  }

  async #signal(signal: NodeJS.Signals) {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}
