import { spawn } from 'node:child_process';
import http from 'node:http';

// A copy of the agents backend's `serveGitHttpBackend` (its src/__testUtils__/gitHttpServer.ts):
// packages may not import another package's test utilities.

/**
 * Answers one git smart-HTTP request (clone, fetch or push) by running `git http-backend` as CGI,
 * the way a forge's git frontend does. The caller has authenticated the request as `remoteUser`.
 */
export function serveGitHttpBackend(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: { projectRoot: string; remoteUser: string; pathInfo: string },
) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const backend = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '',
      GIT_PROJECT_ROOT: options.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: options.pathInfo,
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
