/** One `details.causes[]` entry of a metav1.Status. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** What a resource is called in messages, e.g. `agentstacks.agents.krate.dev` or `pods`. */
export interface ResourceNaming {
  /** plural, e.g. `agentstacks` */
  resource: string;
  group: string;
  kind: string;
}

/** An error the double answers as a metav1.Status with the same code, reason and message. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }

  static notFound(naming: ResourceNaming, name: string) {
    return new KubeApiError(
      404,
      'NotFound',
      `${qualifiedResource(naming)} "${name}" not found`,
      { name, group: naming.group || undefined, kind: naming.resource },
    );
  }

  static alreadyExists(naming: ResourceNaming, name: string) {
    return new KubeApiError(
      409,
      'AlreadyExists',
      `${qualifiedResource(naming)} "${name}" already exists`,
      { name, group: naming.group || undefined, kind: naming.resource },
    );
  }

  static conflict(naming: ResourceNaming, name: string, why: string) {
    return new KubeApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(
        naming,
      )} "${name}": ${why}`,
      { name, group: naming.group || undefined, kind: naming.resource },
    );
  }

  static invalid(naming: ResourceNaming, name: string, causes: StatusCause[]) {
    const listed = causes.map(c => `${c.field}: ${c.message}`);
    const summary = listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`;
    const qualifiedKind = naming.group
      ? `${naming.kind}.${naming.group}`
      : naming.kind;
    return new KubeApiError(
      422,
      'Invalid',
      `${qualifiedKind} "${name}" is invalid: ${summary}`,
      { name, group: naming.group || undefined, kind: naming.kind, causes },
    );
  }

  static badRequest(message: string) {
    return new KubeApiError(400, 'BadRequest', message);
  }

  static forbidden(message: string, details?: StatusDetails) {
    return new KubeApiError(403, 'Forbidden', message, details);
  }

  static unauthorized() {
    return new KubeApiError(401, 'Unauthorized', 'Unauthorized');
  }

  static expired(message: string) {
    return new KubeApiError(410, 'Expired', message);
  }

  static methodNotAllowed(message: string) {
    return new KubeApiError(405, 'MethodNotAllowed', message);
  }

  static unsupportedMediaType(contentType: string) {
    return new KubeApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType})`,
    );
  }

  static serviceUnavailable() {
    return new KubeApiError(
      503,
      'ServiceUnavailable',
      'the server is currently unable to handle the request',
    );
  }

  static pathNotFound() {
    return new KubeApiError(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    );
  }
}

export function qualifiedResource(naming: ResourceNaming): string {
  return naming.group ? `${naming.resource}.${naming.group}` : naming.resource;
}
