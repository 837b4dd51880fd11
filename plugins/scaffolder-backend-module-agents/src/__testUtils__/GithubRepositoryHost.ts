import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serveGitHttpBackend } from './gitHttpBackend';

/** Git smart HTTP, at `/<owner>/<repo>.git/…` or, as GitHub also serves it, `/<owner>/<repo>/…`. */
const GIT_PATH =
  /^\/([^/]+)\/([^/.]+)(?:\.git)?(\/(?:info\/refs|git-upload-pack|git-receive-pack))$/;
const NOT_FOUND = {
  message: 'Not Found',
  documentation_url: 'https://docs.github.com/rest',
};

/**
 * A GitHub Enterprise Server stand-in for what creating a repository from a template takes:
 * `publish:github` (look up the owner, create the repository in the org, push over git smart
 * HTTP) and the catalog's GitHub URL reader (read a file at a ref through the contents API).
 * One origin, the REST API at `/api/v3`, git at `/<owner>/<repo>.git`, one token.
 */
export class GithubRepositoryHost {
  /** `METHOD path` of every request, in order. */
  readonly requests: string[] = [];
  readonly token = 't0k3n';
  readonly login = 'krate-bot';
  origin = '';
  readonly #gitRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'github-host-'));
  readonly #server = http.createServer((req, res) => {
    this.#handle(req, res).catch(error => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
      }
      res.end(JSON.stringify({ message: String(error) }));
    });
  });

  static async start() {
    const host = new GithubRepositoryHost();
    await new Promise<void>(resolve =>
      host.#server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = host.#server.address() as AddressInfo;
    host.origin = `http://127.0.0.1:${port}`;
    return host;
  }

  get host() {
    return new URL(this.origin).host;
  }

  /** The `integrations.github` entry that points at this host. */
  get integration() {
    return {
      host: this.host,
      apiBaseUrl: `${this.origin}/api/v3`,
      token: this.token,
    };
  }

  /** The bare repository of `owner/name`, if it was created. */
  gitDir(fullName: string) {
    const dir = path.join(this.#gitRoot, `${fullName}.git`);
    return fs.existsSync(dir) ? dir : undefined;
  }

  /** The file at `ref:file` of a created repository. */
  show(fullName: string, ref: string, file: string) {
    const gitDir = this.gitDir(fullName);
    if (!gitDir) return undefined;
    try {
      return execFileSync(
        'git',
        ['--git-dir', gitDir, 'show', `${ref}:${file}`],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
    } catch {
      return undefined;
    }
  }

  async close() {
    this.#server.closeAllConnections();
    await new Promise(resolve => this.#server.close(resolve));
    fs.rmSync(this.#gitRoot, { recursive: true, force: true });
  }

  /** GitHub's ways of sending the token: `token X`, `Bearer X` or `Basic base64(user:X)`. */
  #authenticated(authorization: string | undefined) {
    const [scheme = '', value = ''] = (authorization ?? '').trim().split(/\s+/);
    const secret =
      scheme.toLowerCase() === 'basic'
        ? Buffer.from(value, 'base64').toString('utf8').split(':')[1]
        : value;
    return (
      ['token', 'bearer', 'basic'].includes(scheme.toLowerCase()) &&
      secret === this.token
    );
  }

  #repository(owner: string, name: string) {
    const fullName = `${owner}/${name}`;
    return {
      id: 1,
      name,
      full_name: fullName,
      private: true,
      owner: { login: owner, type: 'Organization' },
      url: `${this.origin}/api/v3/repos/${fullName}`,
      html_url: `${this.origin}/${fullName}`,
      clone_url: `${this.origin}/${fullName}.git`,
      default_branch: 'main',
    };
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', this.origin);
    this.requests.push(`${req.method} ${url.pathname}`);
    const authenticated = this.#authenticated(req.headers.authorization);
    const json = (status: number, body: unknown) =>
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify(body));

    const git = GIT_PATH.exec(decodeURIComponent(url.pathname));
    if (git) {
      if (!authenticated) {
        res
          .writeHead(401, { 'www-authenticate': 'Basic realm="github"' })
          .end('authentication required');
        return;
      }
      serveGitHttpBackend(req, res, {
        projectRoot: this.#gitRoot,
        remoteUser: this.login,
        pathInfo: `/${git[1]}/${git[2]}.git${git[3]}`,
      });
      return;
    }
    if (!authenticated) {
      json(404, NOT_FOUND);
      return;
    }
    const api = `${req.method} ${url.pathname.replace(/^\/api\/v3/, '')}`;
    const body = await readJson(req);
    const route = (pattern: RegExp) => pattern.exec(api)?.slice(1);

    const user = route(/^GET \/users\/([^/]+)$/);
    const createIn = route(/^POST \/orgs\/([^/]+)\/repos$/);
    const repository = route(/^GET \/repos\/([^/]+)\/([^/]+)$/);
    const contents = route(/^GET \/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/);
    if (user) {
      const [login] = user;
      json(200, {
        login,
        type: login === this.login ? 'User' : 'Organization',
      });
    } else if (createIn) {
      const [owner] = createIn;
      const name = String(body?.name ?? '');
      if (!/^[\w.-]+$/.test(name)) {
        json(422, { message: 'Validation Failed', errors: ['name'] });
      } else if (this.gitDir(`${owner}/${name}`)) {
        json(422, {
          message: 'Repository creation failed.',
          errors: [{ field: 'name', message: 'name already exists' }],
        });
      } else {
        execFileSync('git', [
          'init',
          '-q',
          '--bare',
          '-b',
          'main',
          path.join(this.#gitRoot, owner, `${name}.git`),
        ]);
        json(201, this.#repository(owner, name));
      }
    } else if (repository) {
      const [owner, name] = repository;
      if (this.gitDir(`${owner}/${name}`)) {
        json(200, this.#repository(owner, name));
      } else {
        json(404, NOT_FOUND);
      }
    } else if (contents) {
      const [owner, name, file] = contents;
      const content = this.show(
        `${owner}/${name}`,
        url.searchParams.get('ref') ?? 'HEAD',
        decodeURIComponent(file),
      );
      if (content === undefined) {
        json(404, NOT_FOUND);
      } else if (String(req.headers.accept).includes('raw')) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(content);
      } else {
        json(200, {
          type: 'file',
          encoding: 'base64',
          content: Buffer.from(content).toString('base64'),
        });
      }
    } else {
      json(404, NOT_FOUND);
    }
  }
}

function readJson(req: http.IncomingMessage): Promise<any> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}
