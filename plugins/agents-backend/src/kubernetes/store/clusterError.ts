import {
  ConflictError,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** A Kubernetes `Status`, as an API server answers a failed request. */
interface KubeStatus {
  message?: string;
  reason?: string;
  details?: {
    kind?: string;
    causes?: { field?: string; message?: string }[];
  };
}

/** What the request was about, for messages in the portal's words. */
export interface ClusterRequest {
  /** e.g. `AgentStack acme/reviewer`. */
  target: string;
  /** The API server's URL. */
  server: string;
}

/** The status code and Status of an answer, when the server answered at all. */
function httpAnswer(
  error: unknown,
): { code: number; status: KubeStatus } | undefined {
  // ApiException carries `code`; a failed watch request, `statusCode`.
  const {
    code: apiCode,
    statusCode,
    body,
  } = (error ?? {}) as { code?: unknown; statusCode?: unknown; body?: unknown };
  const code = typeof apiCode === 'number' ? apiCode : statusCode;
  if (typeof code !== 'number' || code < 100 || code > 599) return undefined;
  let status: KubeStatus = {};
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      status = { message: body };
    }
  } else if (body && typeof body === 'object') {
    status = body as KubeStatus;
  }
  return { code, status };
}

/**
 * The portal's error for a failed request to the API server: what the cluster refused is the
 * caller's (400, 403, 404, 409), anything else — an unreachable server, a 5xx, a 401 of the
 * backend's own credentials — is ServiceUnavailableError. Never a 500 from a cluster answer.
 */
export function clusterError(error: unknown, request: ClusterRequest): Error {
  const answer = httpAnswer(error);
  if (!answer) {
    const reason = isError(error) ? error.message : String(error);
    return new ServiceUnavailableError(
      `the Kubernetes API server at ${request.server} is unreachable: ${reason}`,
    );
  }
  const { code, status } = answer;
  const message = status.message ?? `HTTP ${code}`;
  switch (code) {
    case 400:
      return new InputError(message);
    case 403:
      return new NotAllowedError(
        `the Kubernetes API server refused: ${message}`,
      );
    case 404:
      // A write into a namespace the cluster does not have names the namespace, not the object.
      return new NotFoundError(
        status.details?.kind === 'namespaces'
          ? message
          : `${request.target} not found`,
      );
    case 409:
      return status.reason === 'AlreadyExists'
        ? new ConflictError(`${request.target} already exists`)
        : new ConflictError(
            `${request.target} was modified: ${message}; read it again and retry`,
          );
    case 422: {
      const causes = (status.details?.causes ?? [])
        .filter(cause => cause.message)
        .map(cause =>
          cause.field ? `${cause.field}: ${cause.message}` : cause.message,
        );
      return new InputError(causes.length ? causes.join('; ') : message);
    }
    default:
      return new ServiceUnavailableError(
        `the Kubernetes API server at ${request.server} answered ${code}: ${message}`,
      );
  }
}
