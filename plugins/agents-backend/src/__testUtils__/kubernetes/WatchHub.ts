import http from 'node:http';
import { KubeApiError } from './KubeApiError';
import { KubeObject } from './kubeObjects';
import { ObjectStore, StoredChange, WatchEventType } from './ObjectStore';
import { apiVersionOf, ResourceType, typeKey } from './ResourceRegistry';

export interface WatchRequest {
  type: ResourceType;
  matches: (object: KubeObject) => boolean;
  /** `undefined`, '' or '0': start with ADDED events for the current state. */
  resourceVersion?: string;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  /** Turns an object into what the event carries (e.g. a Table row). */
  render: (object: KubeObject) => unknown;
}

/** Streams watch events as chunked JSON lines and keeps track of every open watch. */
export class WatchHub {
  private readonly open = new Set<http.ServerResponse>();

  constructor(
    private readonly store: ObjectStore,
    private readonly bookmarkIntervalMs: number,
  ) {}

  serve(request: WatchRequest, res: http.ServerResponse) {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    const send = (type: string, object: unknown) => {
      if (!res.writableEnded)
        res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const key = typeKey(request.type);
    const fromVersion = request.resourceVersion;
    if (
      fromVersion === undefined ||
      fromVersion === '' ||
      fromVersion === '0'
    ) {
      for (const object of this.store.list(key).filter(request.matches)) {
        send('ADDED', request.render(this.withType(request.type, object)));
      }
    } else {
      const since = Number(fromVersion);
      if (!Number.isInteger(since) || since < 0) {
        send(
          'ERROR',
          KubeApiError.badRequest(
            `invalid resource version: ${fromVersion}`,
          ).toStatus(),
        );
        res.end();
        return;
      }
      const changes = this.store.changesSince(since);
      if (!changes) {
        send(
          'ERROR',
          KubeApiError.expired(
            `too old resource version: ${since} (${this.store.oldestWatchableRevision})`,
          ).toStatus(),
        );
        res.end();
        return;
      }
      for (const change of changes) this.deliver(request, change, send);
    }

    const unsubscribe = this.store.subscribe(change =>
      this.deliver(request, change, send),
    );
    const timers: NodeJS.Timeout[] = [];
    if (request.allowBookmarks) {
      timers.push(
        setInterval(
          () =>
            send('BOOKMARK', {
              kind: request.type.kind,
              apiVersion: apiVersionOf(request.type),
              metadata: { resourceVersion: String(this.store.currentRevision) },
            }),
          this.bookmarkIntervalMs,
        ),
      );
    }
    if (request.timeoutSeconds && request.timeoutSeconds > 0) {
      timers.push(setTimeout(() => res.end(), request.timeoutSeconds * 1000));
    }
    this.open.add(res);
    const cleanUp = () => {
      unsubscribe();
      timers.forEach(t => clearTimeout(t));
      this.open.delete(res);
    };
    res.on('close', cleanUp);
    res.on('finish', cleanUp);
  }

  /** Ends every open watch from the server side. */
  dropAll() {
    for (const res of [...this.open]) {
      res.end();
    }
    this.open.clear();
  }

  private deliver(
    request: WatchRequest,
    change: StoredChange,
    send: (type: string, object: unknown) => void,
  ) {
    if (change.typeKey !== typeKey(request.type)) return;
    const matchesNow = request.matches(change.object);
    let type: WatchEventType | undefined = change.type;
    if (change.type === 'MODIFIED' && change.previous) {
      const matchedBefore = request.matches(change.previous);
      if (matchedBefore && !matchesNow) type = 'DELETED';
      else if (!matchedBefore && matchesNow) type = 'ADDED';
      else if (!matchesNow) type = undefined;
    } else if (!matchesNow) {
      type = undefined;
    }
    if (type)
      send(type, request.render(this.withType(request.type, change.object)));
  }

  private withType(type: ResourceType, object: KubeObject): KubeObject {
    return { ...object, apiVersion: apiVersionOf(type), kind: type.kind };
  }
}
