import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authenticateHeader } from './forgeAuthentication';
import { ForgeFault, ForgeFaults } from './ForgeFaults';
import { ForgeRepositories } from './ForgeRepositories';
import {
  ForgeApiResponse,
  RecordedRequest,
  startForgeServer,
} from './forgeServer';
import { GITEA_NOT_FOUND, giteaError, giteaRoutes } from './giteaRoutes';

export interface GiteaApiDoubleOptions {
  /** The user the double knows (default `krate-bot`). */
  username?: string;
  /** Its password, accepted with basic auth (default `s3cr3t`). */
  password?: string;
  /** An access token of that user, accepted as `token X`, `Bearer X` or a basic password. */
  token?: string;
}

function faultAnswer(fault: ForgeFault): ForgeApiResponse {
  if (fault.kind === 'server-error') {
    return giteaError(500, '');
  }
  // Gitea has no API rate limit of its own: this is the 429 of a rate-limiting proxy before it.
  return {
    status: 429,
    headers: { 'retry-after': String(fault.retryAfterSeconds ?? 60) },
    body: { message: 'Too Many Requests' },
  };
}

/**
 * A Gitea stand-in for tests: one origin serving the REST API at `/api/v1` and git smart HTTP at
 * `/<owner>/<repo>.git`, with repositories, pull requests, comments and reviews in memory. See
 * docs/forge-doubles.md for what it reproduces.
 */
export class GiteaApiDouble {
  readonly repositories: ForgeRepositories;
  readonly faults: ForgeFaults;
  /** Every request received, in order (API and git). */
  readonly requests: RecordedRequest[];
  /** `http://127.0.0.1:<port>`: web URLs, git remotes and the API's base. */
  readonly origin: string;
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  readonly username: string;
  readonly password: string;
  readonly token: string;
  readonly #close: () => Promise<void>;
  readonly #gitRoot: string;

  static async start(options: GiteaApiDoubleOptions = {}) {
    const username = options.username ?? 'krate-bot';
    const password = options.password ?? 's3cr3t';
    const token = options.token ?? 'g1t3a-t0k3n';
    const gitRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'gitea-double-'));
    const repositories = new ForgeRepositories(gitRoot, username);
    const faults = new ForgeFaults();
    const server = await startForgeServer({
      apiPrefix: '/api/v1',
      gitRoot,
      routes: giteaRoutes(repositories),
      faults,
      authenticate: header =>
        authenticateHeader(header, (secret, user) =>
          secret === token || (user === username && secret === password)
            ? username
            : undefined,
        ),
      answers: {
        unauthorized: giteaError(
          401,
          'user does not exist or password is invalid',
        ),
        notFound: GITEA_NOT_FOUND,
        fault: faultAnswer,
      },
    });
    return new GiteaApiDouble(repositories, faults, server, gitRoot, {
      username,
      password,
      token,
    });
  }

  private constructor(
    repositories: ForgeRepositories,
    faults: ForgeFaults,
    server: Awaited<ReturnType<typeof startForgeServer>>,
    gitRoot: string,
    credentials: { username: string; password: string; token: string },
  ) {
    this.repositories = repositories;
    this.faults = faults;
    this.requests = server.requests;
    this.origin = server.origin;
    this.host = server.host;
    this.username = credentials.username;
    this.password = credentials.password;
    this.token = credentials.token;
    this.#close = server.close;
    this.#gitRoot = gitRoot;
  }

  /** The `integrations.gitea` entry that points at this double (basic auth). */
  get integration() {
    return {
      host: this.host,
      baseUrl: this.origin,
      username: this.username,
      password: this.password,
    };
  }

  /** The git remote of a repository. */
  remote(fullName: string) {
    return `${this.origin}/${fullName}.git`;
  }

  /** The requests with `method` to the API path `/api/v1<path>` (or matching a pattern). */
  requestsTo(method: string, apiPath: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      request =>
        request.method === method &&
        (typeof apiPath === 'string'
          ? request.path === `/api/v1${apiPath}`
          : apiPath.test(request.path)),
    );
  }

  async close() {
    await this.#close();
    fs.rmSync(this.#gitRoot, { recursive: true, force: true });
  }
}
