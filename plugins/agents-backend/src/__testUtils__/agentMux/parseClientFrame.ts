/** A client frame that matches the protocol's schema. */
export type ClientFrame =
  | { type: 'auth'; token: string }
  | { type: 'subscribe'; runId: string; sinceSeq?: number }
  | { type: 'unsubscribe'; runId: string }
  | { type: 'session.subscribe'; sessionId: string }
  | { type: 'session.unsubscribe'; sessionId: string }
  | { type: 'ping' }
  | {
      type: 'hook.decision';
      hookRequestId: string;
      decision: 'allow' | 'deny';
      reason?: string;
    };

/** What a received WebSocket message is, as the real gateway's decoder sees it. */
export type ParsedMessage =
  | { kind: 'frame'; frame: ClientFrame; requestId?: string }
  | {
      kind: 'request';
      requestId: string;
      type: string;
      raw: Record<string, any>;
    }
  | { kind: 'invalid'; message: string; requestId?: string };

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0;

function validate(raw: Record<string, any>): ClientFrame | undefined {
  switch (raw.type) {
    case 'auth':
      return isText(raw.token) ? { type: 'auth', token: raw.token } : undefined;
    case 'subscribe': {
      const since = raw.sinceSeq;
      if (
        !isText(raw.runId) ||
        (since !== undefined && !(Number.isInteger(since) && since >= 0))
      ) {
        return undefined;
      }
      return { type: 'subscribe', runId: raw.runId, sinceSeq: since };
    }
    case 'unsubscribe':
      return isText(raw.runId)
        ? { type: 'unsubscribe', runId: raw.runId }
        : undefined;
    case 'session.subscribe':
    case 'session.unsubscribe':
      return isText(raw.sessionId)
        ? { type: raw.type, sessionId: raw.sessionId }
        : undefined;
    case 'ping':
      return { type: 'ping' };
    case 'hook.decision':
      if (
        !isText(raw.hookRequestId) ||
        (raw.decision !== 'allow' && raw.decision !== 'deny') ||
        (raw.reason !== undefined && typeof raw.reason !== 'string')
      ) {
        return undefined;
      }
      return {
        type: 'hook.decision',
        hookRequestId: raw.hookRequestId,
        decision: raw.decision,
        ...(raw.reason === undefined ? {} : { reason: raw.reason }),
      };
    default:
      return undefined;
  }
}

/**
 * Decodes a client message. Schema-valid frames may carry an `id` (it is ignored except by
 * `hook.decision`); anything else with a string `id` and `type` is a request frame, which only
 * an authenticated client may send.
 */
export function parseClientFrame(data: string): ParsedMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch (error) {
    return { kind: 'invalid', message: (error as Error).message };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { kind: 'invalid', message: 'frame is not an object' };
  }
  const object = raw as Record<string, any>;
  const requestId = typeof object.id === 'string' ? object.id : undefined;
  const frame = validate(object);
  if (frame) {
    return { kind: 'frame', frame, requestId };
  }
  if (requestId && typeof object.type === 'string') {
    return { kind: 'request', requestId, type: object.type, raw: object };
  }
  return {
    kind: 'invalid',
    message: `invalid frame of type ${String(object.type)}`,
    requestId,
  };
}
