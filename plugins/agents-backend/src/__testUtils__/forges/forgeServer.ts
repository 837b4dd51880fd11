import http from 'node:http';
import { AddressInfo } from 'node:net';
import { serveGitHttpBackend } from '../gitHttpServer';
import { ForgeFault, ForgeFaults } from './ForgeFaults';

/** An authenticated API request, as a forge double's routes see it. */
export interface ForgeApiRequest {
  method: string;
  /** The path below the API prefix, e.g. `/repos/acme/app/pulls`. */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body (`undefined` without one). */
  body: any;
  /** The login the token authenticates. */
  user: string;
  /** `http://127.0.0.1:<port>`: the web and git origin. */
  origin: string;
  /** The full URL of the request, for `Link` headers. */
  url: URL;
}

/** A route's answer: a status, a JSON body and headers. */
export interface ForgeApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One REST route of a forge double; `pattern` matches `ForgeApiRequest.path`. */
export interface ForgeRoute {
  method: string;
  pattern: RegExp;
  handle(request: ForgeApiRequest, params: string[]): ForgeApiResponse;
}

/** A request the double received; `status` is missing when it crashed instead of answering. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  status?: number;
}

/** Who an `Authorization` header is: a login, nobody (no header) or a wrong credential. */
export type ForgeAuthentication =
  | { user: string }
  | { anonymous: true }
  | { invalid: true };

export interface ForgeServerOptions {
  /** `/api/v3` (GitHub Enterprise) or `/api/v1` (Gitea). */
  apiPrefix: string;
  /** Folder of the bare repositories, served at `/<owner>/<name>.git`. */
  gitRoot: string;
  routes: ForgeRoute[];
  faults: ForgeFaults;
  authenticate(authorization: string | undefined): ForgeAuthentication;
  answers: {
    /** A wrong token. */
    unauthorized: ForgeApiResponse;
    /** No token, or no route or object. */
    notFound: ForgeApiResponse;
    /** The answer of a `secondary-rate-limit`, `rate-limit` or `server-error` fault. */
    fault(fault: ForgeFault): ForgeApiResponse;
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, answer: ForgeApiResponse) {
  const body =
    answer.body === undefined ? undefined : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(body === undefined
      ? {}
      : { 'content-type': 'application/json; charset=utf-8' }),
    ...answer.headers,
  });
  res.end(body);
}

const GIT_PATH = /^\/[^/]+\/[^/]+\.git(\/|$)/;

/**
 * The HTTP side shared by the forge doubles: one origin serving git smart HTTP at
 * `/<owner>/<name>.git` and the REST API under `apiPrefix`, with token auth, injected faults and
 * a log of every request.
 */
export async function startForgeServer(options: ForgeServerOptions) {
  const requests: RecordedRequest[] = [];
  let origin = '';

  const serveGit = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ) => {
    const who = options.authenticate(req.headers.authorization);
    if (!('user' in who)) {
      res
        .writeHead(401, { 'www-authenticate': 'Basic realm="forge double"' })
        .end('authentication required');
      return;
    }
    serveGitHttpBackend(req, res, {
      projectRoot: options.gitRoot,
      remoteUser: who.user,
      pathInfo: decodeURIComponent(url.pathname),
    });
  };

  const serveApi = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    record: RecordedRequest,
  ) => {
    const answer = (response: ForgeApiResponse) => {
      record.status = response.status;
      send(res, response);
    };
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      answer({ status: 400, body: { message: 'Problems parsing JSON' } });
      return;
    }
    const who = options.authenticate(req.headers.authorization);
    if ('invalid' in who) {
      answer(options.answers.unauthorized);
      return;
    }
    if ('anonymous' in who) {
      answer(options.answers.notFound);
      return;
    }
    const path = url.pathname.slice(options.apiPrefix.length) || '/';
    const method = req.method ?? 'GET';
    const fault = options.faults.take(method, url.pathname);
    if (fault?.kind === 'interleave') {
      await fault.run?.();
    } else if (fault && fault.kind !== 'crash-after-create') {
      answer(options.answers.fault(fault));
      return;
    }
    for (const route of options.routes) {
      const match = route.method === method ? route.pattern.exec(path) : null;
      if (match) {
        const response = route.handle(
          {
            method,
            path,
            query: url.searchParams,
            body,
            user: who.user,
            origin,
            url,
          },
          match.slice(1).map(decodeURIComponent),
        );
        if (fault?.kind === 'crash-after-create') {
          req.socket.destroy();
          return;
        }
        answer(response);
        return;
      }
    }
    answer(options.answers.notFound);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
    };
    requests.push(record);
    if (GIT_PATH.test(url.pathname)) {
      res.on('finish', () => {
        record.status = res.statusCode;
      });
      serveGit(req, res, url);
      return;
    }
    if (
      url.pathname !== options.apiPrefix &&
      !url.pathname.startsWith(`${options.apiPrefix}/`)
    ) {
      record.status = 404;
      send(res, options.answers.notFound);
      return;
    }
    serveApi(req, res, url, record).catch(error => {
      record.status = 500;
      send(res, { status: 500, body: { message: String(error) } });
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    /** `127.0.0.1:<port>`: what `integrations.*[].host` names. */
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
