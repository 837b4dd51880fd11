import http from 'node:http';
import { Authenticator } from './Authenticator';
import { Authorizer, forbiddenError, RequestAttributes } from './Authorizer';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  coreApiVersions,
  SERVER_VERSION,
} from './discovery';
import { DeleteRequestOptions } from './KindBehaviour';
import { KubeApiError } from './KubeApiError';
import { isPlainObject, KubeObject, KubeUser } from './kubeObjects';
import { OperationTarget, ResourceOperations } from './ResourceOperations';
import { parseResourcePath } from './resourcePaths';
import { ResourceRegistry, typeKey } from './ResourceRegistry';
import { toTable, wantsTable } from './tables';
import { WatchHub } from './WatchHub';

/** One served request, as `KubernetesDouble.requests` lists it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
}

/** Everything a special endpoint (pod logs, access reviews) gets. */
export interface SpecialRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  target: OperationTarget;
  query: URLSearchParams;
  user: KubeUser;
  body: unknown;
}

/** Answers a subresource GET (e.g. `pods/log`) or a create of a virtual kind (access reviews). */
export type SpecialHandler = (request: SpecialRequest) => Promise<void> | void;

export interface KubernetesApiServerOptions {
  registry: ResourceRegistry;
  operations: ResourceOperations;
  watches: WatchHub;
  authenticator: Authenticator;
  authorizer: Authorizer;
  /** Keyed by `<group>/<resource>/<subresource>` for subresources, `<group>/<resource>` for creates. */
  specialHandlers: Map<string, SpecialHandler>;
}

const MINIMAL_SWAGGER = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
  paths: {},
  definitions: {},
};
/** A protobuf openapi_v2.Document with only `swagger: "2.0"` (field 1): kubectl validates nothing against it. */
const MINIMAL_SWAGGER_PROTOBUF = Buffer.from([
  0x0a,
  0x03,
  ...Buffer.from('2.0'),
]);

function sendJson(res: http.ServerResponse, code: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw KubeApiError.badRequest(
      `the body of the request was not valid JSON: ${(error as Error).message}`,
    );
  }
}

function verbOf(
  method: string,
  hasName: boolean,
  query: URLSearchParams,
): string {
  const watch = query.get('watch');
  switch (method) {
    case 'GET':
      if (hasName) return 'get';
      return watch === 'true' || watch === '1' ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      throw KubeApiError.methodNotAllowed(`method ${method} is not supported`);
  }
}

function deleteOptions(
  query: URLSearchParams,
  body: unknown,
): DeleteRequestOptions {
  const fromBody = isPlainObject(body) ? body : {};
  const grace = query.get('gracePeriodSeconds') ?? fromBody.gracePeriodSeconds;
  return {
    gracePeriodSeconds:
      grace === undefined || grace === null ? undefined : Number(grace),
    propagationPolicy:
      query.get('propagationPolicy') ??
      (fromBody.propagationPolicy as string | undefined),
    preconditions: isPlainObject(fromBody.preconditions)
      ? fromBody.preconditions
      : undefined,
  };
}

/** The HTTP face of the double: authentication, discovery, routing and Status errors. */
export class KubernetesApiServer {
  readonly requests: RecordedRequest[] = [];
  unavailable = false;

  constructor(private readonly options: KubernetesApiServerOptions) {}

  readonly handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    this.serve(req, res).catch(error => {
      const apiError =
        error instanceof KubeApiError
          ? error
          : new KubeApiError(
              500,
              'InternalError',
              `Internal error occurred: ${(error as Error).message}`,
            );
      if (res.headersSent) res.end();
      else sendJson(res, apiError.code, apiError.toStatus());
    });
  };

  private async serve(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    this.requests.push({
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
    });
    const bodyText = await readBody(req);
    if (this.unavailable) throw KubeApiError.serviceUnavailable();
    const user = this.options.authenticator.authenticate(req);
    if (!user) throw KubeApiError.unauthorized();
    if (this.serveNonResource(url.pathname, req, res)) return;

    const { registry, operations } = this.options;
    const path = parseResourcePath(url.pathname, registry);
    if (!path) throw KubeApiError.pathNotFound();
    const type = registry.require(path.group, path.version, path.resource);
    const query = url.searchParams;
    const verb = verbOf(method, path.name !== undefined, query);
    const attributes: RequestAttributes = {
      user,
      verb,
      group: path.group,
      resource: path.resource,
      subresource: path.subresource,
      namespace: path.namespace,
      name: path.name,
    };
    if (!this.options.authorizer.authorize(attributes).allowed)
      throw forbiddenError(attributes);
    if (path.subresource && !type.subresources.includes(path.subresource))
      throw KubeApiError.pathNotFound();

    const target: OperationTarget = {
      type,
      namespace: path.namespace,
      name: path.name,
      subresource: path.subresource,
    };
    const contentType = String(
      req.headers['content-type'] ?? 'application/json',
    );
    if (
      method === 'PATCH' &&
      contentType.startsWith('application/apply-patch+yaml')
    ) {
      throw KubeApiError.unsupportedMediaType(contentType);
    }
    const body = parseJson(bodyText);
    const dryRun = query.getAll('dryRun').includes('All');
    const special =
      this.options.specialHandlers.get(
        `${typeKey(type)}/${path.subresource ?? ''}`,
      ) ??
      (verb === 'create'
        ? this.options.specialHandlers.get(typeKey(type))
        : undefined);
    if (special && path.subresource !== 'status') {
      await special({ req, res, target, query, user, body });
      return;
    }
    if (!type.verbs.includes(verb)) {
      throw KubeApiError.methodNotAllowed(
        `${verb} is not supported on ${type.resource}`,
      );
    }
    const asTable = wantsTable(String(req.headers.accept ?? ''));
    const includeObject = query.get('includeObject') ?? 'Metadata';
    const listQuery = {
      labelSelector: query.get('labelSelector'),
      fieldSelector: query.get('fieldSelector'),
      limit: query.get('limit') ? Number(query.get('limit')) : undefined,
      continueToken: query.get('continue'),
    };

    switch (verb) {
      case 'get': {
        const object = operations.get(target);
        sendJson(
          res,
          200,
          asTable
            ? toTable(
                type,
                [object],
                { resourceVersion: object.metadata.resourceVersion },
                includeObject,
              )
            : object,
        );
        return;
      }
      case 'list': {
        this.checkListVersion(query);
        const list = operations.list(target, listQuery);
        sendJson(
          res,
          200,
          asTable
            ? toTable(type, list.items, list.metadata, includeObject)
            : list,
        );
        return;
      }
      case 'watch': {
        const matches = operations.matcher(target, listQuery);
        this.options.watches.serve(
          {
            type,
            matches,
            resourceVersion: query.get('resourceVersion') ?? undefined,
            allowBookmarks: query.get('allowWatchBookmarks') === 'true',
            timeoutSeconds: query.get('timeoutSeconds')
              ? Number(query.get('timeoutSeconds'))
              : undefined,
            render: (object: KubeObject) =>
              asTable
                ? toTable(
                    type,
                    [object],
                    { resourceVersion: object.metadata.resourceVersion },
                    includeObject,
                  )
                : object,
          },
          res,
        );
        return;
      }
      case 'create':
        sendJson(res, 201, operations.create(target, body, dryRun));
        return;
      case 'update':
        sendJson(res, 200, operations.replace(target, body, dryRun));
        return;
      case 'patch':
        sendJson(res, 200, operations.patch(target, contentType, body, dryRun));
        return;
      case 'delete':
        sendJson(
          res,
          200,
          operations.delete(target, deleteOptions(query, body), dryRun),
        );
        return;
      case 'deletecollection':
        sendJson(
          res,
          200,
          operations.deleteCollection(
            target,
            listQuery,
            deleteOptions(query, body),
            dryRun,
          ),
        );
        return;
      default:
        throw KubeApiError.methodNotAllowed(`${verb} is not supported`);
    }
  }

  /** A list at an exact, too old resourceVersion answers 410 like the API server's cache does. */
  private checkListVersion(query: URLSearchParams) {
    const version = query.get('resourceVersion');
    if (query.get('resourceVersionMatch') !== 'Exact' || !version) return;
    const oldest = this.options.operations.oldestListableVersion();
    if (Number(version) < oldest) {
      throw KubeApiError.expired(
        `too old resource version: ${version} (${oldest})`,
      );
    }
  }

  private serveNonResource(
    path: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): boolean {
    const { registry } = this.options;
    const trimmed = path.replace(/\/+$/, '') || '/';
    const answer = (body: unknown) => {
      sendJson(res, 200, body);
      return true;
    };
    if (trimmed === '/version') return answer(SERVER_VERSION);
    if (['/healthz', '/livez', '/readyz'].includes(trimmed)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return true;
    }
    if (trimmed === '/openapi/v2') {
      if (String(req.headers.accept ?? '').includes('protobuf')) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(MINIMAL_SWAGGER_PROTOBUF);
      } else {
        sendJson(res, 200, MINIMAL_SWAGGER);
      }
      return true;
    }
    if (trimmed === '/api') return answer(coreApiVersions());
    if (trimmed === '/apis') return answer(apiGroupList(registry));
    const segments = trimmed.split('/').filter(Boolean);
    if (segments[0] === 'api' && segments.length === 2) {
      const list = apiResourceList(registry, '', segments[1]);
      if (!list) throw KubeApiError.pathNotFound();
      sendJson(res, 200, list);
      return true;
    }
    if (segments[0] === 'apis' && segments.length === 2) {
      const group = apiGroup(registry, segments[1]);
      if (!group) throw KubeApiError.pathNotFound();
      sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...group });
      return true;
    }
    if (segments[0] === 'apis' && segments.length === 3) {
      const list = apiResourceList(registry, segments[1], segments[2]);
      if (!list) throw KubeApiError.pathNotFound();
      sendJson(res, 200, list);
      return true;
    }
    return false;
  }
}
