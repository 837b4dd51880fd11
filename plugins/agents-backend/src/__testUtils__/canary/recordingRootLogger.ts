import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';

/** A logger that keeps every line it is given, message and meta, as JSON. */
class RecordingLogger implements RootLoggerService {
  constructor(
    private readonly lines: string[],
    private readonly meta: object = {},
  ) {}

  error(message: string, meta?: Error | object) {
    this.#record('error', message, meta);
  }
  warn(message: string, meta?: Error | object) {
    this.#record('warn', message, meta);
  }
  info(message: string, meta?: Error | object) {
    this.#record('info', message, meta);
  }
  debug(message: string, meta?: Error | object) {
    this.#record('debug', message, meta);
  }

  child(meta: object): LoggerService {
    return new RecordingLogger(this.lines, { ...this.meta, ...meta });
  }

  #record(level: string, message: string, meta?: Error | object) {
    const extra =
      meta instanceof Error
        ? { name: meta.name, message: meta.message, stack: meta.stack }
        : meta;
    this.lines.push(
      JSON.stringify({ level, message, ...this.meta, meta: extra }),
    );
  }
}

/**
 * The root logger of a test backend, recording every line of every plugin and service (each
 * plugin's logger is a child of it).
 */
export function recordingRootLogger() {
  const lines: string[] = [];
  const factory = createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => new RecordingLogger(lines),
  });
  return { lines, factory };
}
