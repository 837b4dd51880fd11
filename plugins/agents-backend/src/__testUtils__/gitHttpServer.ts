import { spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface GitHttpServerOptions {
  /** Folder of the bare repositories it serves (`GIT_PROJECT_ROOT`). */
  projectRoot: string;
  username: string;
  password: string;
}

/** What {@link serveGitHttpBackend} needs to answer one smart-HTTP request. */
export interface GitHttpBackendOptions {
  /** Folder of the bare repositories it serves (`GIT_PROJECT_ROOT`). */
  projectRoot: string;
  /** The authenticated user; `git http-backend` only accepts pushes with one. */
  remoteUser: string;
  /** The repository path and service, e.g. `/acme/app.git/info/refs` (default: the URL path). */
  pathInfo?: string;
}

/**
 * Answers one git smart-HTTP request (clone, fetch or push) by running `git http-backend` as CGI,
 * the way a forge's git frontend does. The caller has authenticated the request.
 */
export function serveGitHttpBackend(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: GitHttpBackendOptions,
) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const backend = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '',
      GIT_PROJECT_ROOT: options.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: options.pathInfo ?? decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-length']
        ? { CONTENT_LENGTH: req.headers['content-length'] }
        : {}),
      ...(req.headers['content-encoding']
        ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }
        : {}),
      ...(req.headers['git-protocol']
        ? { GIT_PROTOCOL: String(req.headers['git-protocol']) }
        : {}),
      REMOTE_USER: options.remoteUser,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    },
  });
  req.pipe(backend.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  backend.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    const separator = end >= 0 ? 4 : 2;
    const at = end >= 0 ? end : head.indexOf('\n\n');
    if (at < 0) {
      return;
    }
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, at).toString().split(/\r?\n/)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') {
        status = Number(value.split(' ')[0]);
      } else if (name) {
        headers[name] = value;
      }
    }
    res.writeHead(status, headers);
    headersSent = true;
    res.write(head.subarray(at + separator));
  });
  backend.stdout.on('end', () => res.end());
  backend.on('error', () => res.destroy());
}

/**
 * A git smart-HTTP server for tests: `git http-backend` run as CGI behind HTTP basic auth. A
 * request without the right `Authorization` header gets 401. `authorizations` records the header
 * of every request, so a test can see what git sent.
 */
export async function startGitHttpServer(options: GitHttpServerOptions) {
  const expected = `Basic ${Buffer.from(
    `${options.username}:${options.password}`,
  ).toString('base64')}`;
  const authorizations: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (req.headers.authorization !== expected) {
      res
        .writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' })
        .end('authentication required');
      return;
    }
    serveGitHttpBackend(req, res, {
      projectRoot: options.projectRoot,
      remoteUser: options.username,
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** `http://127.0.0.1:<port>`; a repository `<projectRoot>/x.git` is at `<url>/x.git`. */
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
