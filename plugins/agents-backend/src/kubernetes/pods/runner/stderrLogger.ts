import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * A logger for the in-pod runner: plain lines on stderr, which stay out of the protocol on
 * stdout and show in `kubectl logs` (and in the last lines of a PodFailed message).
 */
export function stderrLogger(
  fields: Record<string, unknown> = {},
): LoggerService {
  const write = (level: string) => (message: string, meta?: unknown) => {
    const extra = {
      ...fields,
      ...(meta instanceof Error ? {} : (meta as any)),
    };
    const suffix = Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : '';
    const error = meta instanceof Error ? ` ${meta.stack ?? meta.message}` : '';
    process.stderr.write(`${level} ${message}${suffix}${error}\n`);
  };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: () => undefined,
    child: meta => stderrLogger({ ...fields, ...meta }),
  };
}
