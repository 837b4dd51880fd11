import { InputError } from '@backstage/errors';
import { Request, Response } from 'express';
import { matchesLabels } from '../resources/labelSelector';
import {
  LabelRequirement,
  ResourceExpiredError,
  ResourceStore,
  WatchEvent,
} from '../resources/ResourceStore';

export interface WatchOptions {
  kind: string;
  namespace?: string;
  allowedNamespaces?: string[];
  labelSelector?: LabelRequirement[];
  /** Resume after this version; without it the stream starts with every current object. */
  resourceVersion?: string;
  heartbeatMs?: number;
  pollMs?: number;
}

const BATCH = 500;

/**
 * Streams a kind's changes as server-sent events: `event: ADDED|MODIFIED|DELETED`, `id:` the
 * resource version (so EventSource's Last-Event-ID resumes), `data:` `{type, object}`. A version
 * that was compacted away answers 410 before the stream starts, or an `ERROR` event with a
 * Kubernetes `Status` (code 410, reason Expired) once it has.
 */
export async function streamWatch(
  req: Request,
  res: Response,
  store: ResourceStore,
  options: WatchOptions,
): Promise<void> {
  const { kind, namespace, allowedNamespaces, labelSelector } = options;
  const lastEventId = req.header('last-event-id');
  let resourceVersion = lastEventId ?? options.resourceVersion;
  if (resourceVersion !== undefined && !/^\d+$/.test(resourceVersion)) {
    throw new InputError('resourceVersion: must be a non-negative integer');
  }

  const visible = (event: WatchEvent) =>
    (!allowedNamespaces ||
      allowedNamespaces.includes(event.object.metadata.namespace)) &&
    (!labelSelector ||
      matchesLabels(event.object.metadata.labels, labelSelector));

  let initial: WatchEvent[] = [];
  if (resourceVersion === undefined) {
    const listedAt = await store.currentResourceVersion(kind);
    resourceVersion = listedAt;
    let continueToken: string | undefined;
    do {
      const page = await store.list(kind, {
        namespace,
        allowedNamespaces,
        labelSelector,
        limit: BATCH,
        continueToken,
      });
      // Resuming from the version taken before the list replays nothing the list missed.
      initial.push(
        ...page.items.map(object => ({
          type: 'ADDED' as const,
          object,
          resourceVersion: listedAt,
        })),
      );
      continueToken = page.continueToken;
    } while (continueToken);
  }

  let first;
  try {
    first = await store.changesSince(kind, {
      resourceVersion,
      namespace,
      limit: BATCH,
    });
  } catch (error) {
    if (error instanceof ResourceExpiredError) {
      res.status(410).json({
        error: { name: 'ResourceExpiredError', message: error.message },
        response: { statusCode: 410 },
      });
      return;
    }
    throw error;
  }

  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();

  const abort = new AbortController();
  req.on('close', () => abort.abort());
  const send = ({ type, object, resourceVersion: version }: WatchEvent) => {
    res.write(
      `id: ${
        version ?? object.metadata.resourceVersion
      }\nevent: ${type}\ndata: ${JSON.stringify({ type, object })}\n\n`,
    );
  };
  initial.forEach(send);
  initial = [];

  let lastWrite = Date.now();
  let changes = first;
  while (!abort.signal.aborted) {
    for (const event of changes.events) {
      if (visible(event)) {
        send(event);
        lastWrite = Date.now();
      }
    }
    resourceVersion = changes.resourceVersion;
    if (changes.events.length < BATCH) {
      if (Date.now() - lastWrite >= (options.heartbeatMs ?? 15_000)) {
        res.write(`: heartbeat ${resourceVersion}\n\n`);
        lastWrite = Date.now();
      }
      // Other backend instances write too: poll at least this often.
      await store.waitForChange(options.pollMs ?? 1_000, abort.signal);
    }
    if (abort.signal.aborted) break;
    try {
      changes = await store.changesSince(kind, {
        resourceVersion,
        namespace,
        limit: BATCH,
      });
    } catch (error) {
      // Headers are sent: report in-band, as Kubernetes watches do, and end the stream.
      const status =
        error instanceof ResourceExpiredError
          ? {
              kind: 'Status',
              code: 410,
              reason: 'Expired',
              message: error.message,
            }
          : {
              kind: 'Status',
              code: 500,
              reason: 'InternalError',
              message: 'the watch failed; reconnect with the last event id',
            };
      res.write(
        `event: ERROR\ndata: ${JSON.stringify({
          type: 'ERROR',
          object: status,
        })}\n\n`,
      );
      break;
    }
  }
  res.end();
}
