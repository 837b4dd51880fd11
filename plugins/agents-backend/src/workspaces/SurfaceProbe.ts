import { AgentWorkspace } from '@krate/plugin-agents-common';

/** A runtime surface of a workspace, as its status lists it. */
export type RuntimeSurface = NonNullable<
  NonNullable<AgentWorkspace['status']>['runtimeSurfaces']
>[number];

type Health = Pick<RuntimeSurface, 'health' | 'message'>;

export interface SurfaceProbeOptions {
  /** How long a surface may take to answer; default 2 seconds. */
  timeoutMs?: number;
}

/**
 * Checks runtime surfaces with one short HTTP GET each: a 2xx or 3xx answer is `ready`, any other
 * status `degraded`, no answer (refused, unreachable, timed out) `unavailable`. Redirects are not
 * followed and no credentials are sent; only the status is kept. A surface without an http(s) URL
 * is `unknown`.
 */
export class SurfaceProbe {
  readonly #timeoutMs: number;

  constructor(options: SurfaceProbeOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 2000;
  }

  /** The surfaces with their health now, in the same order. */
  checkAll(surfaces: RuntimeSurface[]): Promise<RuntimeSurface[]> {
    return Promise.all(
      surfaces.map(async surface => {
        const { health: _health, message: _message, ...rest } = surface;
        return { ...rest, ...(await this.check(surface.url)) };
      }),
    );
  }

  async check(url: string | undefined): Promise<Health> {
    if (!url || !/^https?:\/\//i.test(url)) {
      return { health: 'unknown', message: 'no http(s) URL to check' };
    }
    try {
      const response = await fetch(url, {
        method: 'GET',
        redirect: 'manual',
        credentials: 'omit',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      const answer = `HTTP ${response.status}`;
      return response.status >= 200 && response.status < 400
        ? { health: 'ready', message: answer }
        : { health: 'degraded', message: `answered ${answer}` };
    } catch (error) {
      return { health: 'unavailable', message: this.#reason(error) };
    }
  }

  #reason(error: unknown): string {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return `no answer within ${this.#timeoutMs} ms`;
    }
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') {
      return 'connection refused';
    }
    return `unreachable${cause?.code ? ` (${cause.code})` : ''}`;
  }
}
