/**
 * HTTP credentials for the remote of a repository. They reach git only through the environment
 * of the git process, as an `Authorization` header scoped to the remote's origin
 * (`http.<origin>/.extraHeader`, so a redirect to another host never carries it) — never in
 * argv, the cache's stored remote URL, a log line or an error message. The object hides them
 * from JSON, string conversion and inspection.
 */
export class GitCredentials {
  readonly #header: string;

  private constructor(header: string) {
    this.#header = header;
  }

  /** Basic credentials: a token with the user name the host expects for it. */
  static basic(username: string, token: string): GitCredentials {
    const encoded = Buffer.from(`${username}:${token}`).toString('base64');
    return new GitCredentials(`Authorization: Basic ${encoded}`);
  }

  /**
   * The environment that hands the credentials to git for requests to `url`'s origin; empty for a
   * URL that is not http(s), which never gets them.
   */
  envFor(url: string): Record<string, string> {
    const origin = httpOrigin(url);
    if (!origin) {
      return {};
    }
    return {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: `http.${origin}/.extraHeader`,
      GIT_CONFIG_VALUE_0: this.#header,
    };
  }

  toJSON() {
    return '[credentials]';
  }

  toString() {
    return '[credentials]';
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return '[credentials]';
  }
}

function httpOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? parsed.origin
      : undefined;
  } catch {
    return undefined;
  }
}
