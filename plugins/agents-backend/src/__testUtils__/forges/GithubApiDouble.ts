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
import { GITHUB_NOT_FOUND, githubRoutes } from './githubRoutes';

export interface GithubApiDoubleOptions {
  /** The token the API and git accept (default `t0k3n`). */
  token?: string;
  /** Who that token is (default `krate-bot`). */
  login?: string;
}

const SECONDARY_RATE_LIMIT =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID ' +
  'C0DE:7E57:1D:2A:66000000.';

function faultAnswer(fault: ForgeFault): ForgeApiResponse {
  const retryAfter = String(fault.retryAfterSeconds ?? 60);
  switch (fault.kind) {
    case 'secondary-rate-limit':
      return {
        status: 403,
        headers: { 'retry-after': retryAfter },
        body: {
          message: SECONDARY_RATE_LIMIT,
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
      };
    case 'rate-limit':
      return {
        status: 429,
        headers:
          fault.rateLimitResetSeconds === undefined
            ? { 'retry-after': retryAfter }
            : {
                'x-ratelimit-limit': '5000',
                'x-ratelimit-remaining': '0',
                'x-ratelimit-reset': String(
                  Math.ceil(Date.now() / 1000) + fault.rateLimitResetSeconds,
                ),
              },
        body: {
          message: 'API rate limit exceeded for user ID 1.',
          documentation_url:
            'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
        },
      };
    default:
      return { status: 500, body: { message: 'Server Error' } };
  }
}

/**
 * A GitHub Enterprise Server stand-in for tests: one origin serving the REST API at `/api/v3` and
 * git smart HTTP at `/<owner>/<repo>.git`, with repositories, pull requests, issue comments,
 * reviews and workflow runs in memory. See docs/forge-doubles.md for what it reproduces.
 */
export class GithubApiDouble {
  readonly repositories: ForgeRepositories;
  readonly faults: ForgeFaults;
  /** Every request received, in order (API and git). */
  readonly requests: RecordedRequest[];
  /** `http://127.0.0.1:<port>`: web URLs and git remotes. */
  readonly origin: string;
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  readonly token: string;
  readonly #close: () => Promise<void>;
  readonly #gitRoot: string;

  static async start(
    options: GithubApiDoubleOptions = {},
  ): Promise<GithubApiDouble> {
    const token = options.token ?? 't0k3n';
    const login = options.login ?? 'krate-bot';
    const gitRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'github-double-'));
    const repositories = new ForgeRepositories(gitRoot, login);
    const faults = new ForgeFaults();
    const server = await startForgeServer({
      apiPrefix: '/api/v3',
      gitRoot,
      routes: githubRoutes(repositories),
      faults,
      authenticate: header =>
        authenticateHeader(header, secret =>
          secret === token ? login : undefined,
        ),
      answers: {
        unauthorized: {
          status: 401,
          body: {
            message: 'Bad credentials',
            documentation_url: 'https://docs.github.com/rest',
          },
        },
        notFound: GITHUB_NOT_FOUND,
        fault: faultAnswer,
      },
    });
    return new GithubApiDouble(repositories, faults, server, token, gitRoot);
  }

  private constructor(
    repositories: ForgeRepositories,
    faults: ForgeFaults,
    server: Awaited<ReturnType<typeof startForgeServer>>,
    token: string,
    gitRoot: string,
  ) {
    this.repositories = repositories;
    this.faults = faults;
    this.requests = server.requests;
    this.origin = server.origin;
    this.host = server.host;
    this.token = token;
    this.#close = server.close;
    this.#gitRoot = gitRoot;
  }

  /** `http://127.0.0.1:<port>/api/v3`. */
  get apiBaseUrl() {
    return `${this.origin}/api/v3`;
  }

  /** The `integrations.github` entry that points at this double. */
  get integration() {
    return { host: this.host, apiBaseUrl: this.apiBaseUrl, token: this.token };
  }

  /** The git remote of a repository. */
  remote(fullName: string) {
    return `${this.origin}/${fullName}.git`;
  }

  /** The requests with `method` to the API path `/api/v3<path>` (or matching a pattern). */
  requestsTo(method: string, apiPath: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      request =>
        request.method === method &&
        (typeof apiPath === 'string'
          ? request.path === `/api/v3${apiPath}`
          : apiPath.test(request.path)),
    );
  }

  async close() {
    await this.#close();
    fs.rmSync(this.#gitRoot, { recursive: true, force: true });
  }
}
