import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { commit, git, gitSandbox } from '../__testUtils__/gitFixtures';
import { startGitHttpServer } from '../__testUtils__/gitHttpServer';
import { GitCli } from '../workspaces/GitCli';
import { configuredRepositories } from './configuredRepositories';
import { integrationCredentials } from './integrationCredentials';
import { RepositoryMirrors } from './RepositoryMirrors';

jest.setTimeout(60_000);

const TOKEN = 'tok-s3cr3t-4711';
const WRONG = 'wrong-s3cr3t-0815';
const basic = (user: string, password: string) =>
  Buffer.from(`${user}:${password}`).toString('base64');

/** A GitCli that keeps the arguments of every git command it runs. */
class RecordingGit extends GitCli {
  readonly argv: string[][] = [];

  run(cwd: string, args: string[], env: Record<string, string> = {}) {
    this.argv.push(args);
    return super.run(cwd, args, env);
  }
}

describe('private repositories over HTTP with credentials', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  let server: Awaited<ReturnType<typeof startGitHttpServer>>;
  let served: string;

  beforeEach(async () => {
    sandbox = gitSandbox();
    const projectRoot = path.join(sandbox.base, 'served');
    served = path.join(projectRoot, 'acme', 'private.git');
    fs.mkdirSync(path.dirname(served), { recursive: true });
    git(sandbox.base, 'clone', '-q', '--bare', sandbox.repo, served);
    server = await startGitHttpServer({
      projectRoot,
      username: 'krate',
      password: TOKEN,
    });
  });
  afterEach(async () => {
    await server.close();
    sandbox.cleanup();
  });

  async function setUp() {
    const url = `${server.url}/acme/private.git`;
    const config = new ConfigReader({
      agents: {
        repositories: [
          { name: 'acme/private', url, token: TOKEN, username: 'krate' },
          { name: 'acme/anonymous', url },
          { name: 'acme/wrong', url, token: WRONG, username: 'krate' },
        ],
      },
    });
    const logger = mockServices.logger.mock();
    const cacheDir = path.join(sandbox.base, 'cache');
    const recording = new RecordingGit();
    const definitions = await configuredRepositories({
      config,
      cacheDir,
      git: recording,
      logger,
    });
    const mirrors = new RepositoryMirrors({
      cacheDir,
      fetchIntervalMs: 0,
      logger,
      git: recording,
    });
    const named = (name: string) => definitions.find(d => d.name === name)!;
    /** Everything the backend said or kept: it must never hold the token. */
    const leaks = () =>
      [
        JSON.stringify(recording.argv),
        JSON.stringify(definitions),
        inspect(definitions, { depth: 5 }),
        JSON.stringify(
          [logger.info, logger.warn, logger.error, logger.debug].flatMap(
            fn => (fn as jest.Mock).mock.calls,
          ),
        ),
        fs.readFileSync(
          path.join(mirrors.pathOf('acme/private'), 'config'),
          'utf8',
        ),
      ].filter(text =>
        [TOKEN, WRONG, basic('krate', TOKEN), basic('krate', WRONG)].some(
          secret => text.includes(secret),
        ),
      );
    return { url, mirrors, named, leaks };
  }

  it('clones and fetches with the token, which reaches git only through its environment', async () => {
    const { url, mirrors, named, leaks } = await setUp();
    const cache = await mirrors.prepare(named('acme/private'));
    expect(git(cache, 'rev-parse', 'refs/remotes/origin/main')).toBe(
      git(sandbox.repo, 'rev-parse', 'main'),
    );
    expect(git(cache, 'config', 'remote.origin.url')).toBe(url);

    const upstream = commit(sandbox.repo, 'src/new.js', 'exports.x = 1;\n');
    git(sandbox.repo, 'push', '-q', served, 'main');
    git(served, 'update-ref', 'refs/pull/3/head', upstream);
    await mirrors.prepare(named('acme/private'), 'refs/pull/3/head');
    expect(git(cache, 'rev-parse', 'refs/remotes/origin/main')).toBe(upstream);
    expect(git(cache, 'rev-parse', 'refs/fetched/pull/3/head')).toBe(upstream);

    expect(server.authorizations.length).toBeGreaterThan(0);
    expect(new Set(server.authorizations)).toEqual(
      new Set([`Basic ${basic('krate', TOKEN)}`]),
    );
    expect(leaks()).toEqual([]);
  });

  it('fails with a clear message, and no secret, without credentials or with wrong ones', async () => {
    const { mirrors, named, leaks } = await setUp();
    const anonymous = mirrors.prepare(named('acme/anonymous'));
    await expect(anonymous).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(
        'Cannot clone repository acme/anonymous (declared by agents.repositories): the remote asks for credentials',
      ),
    });
    const wrong: Error = await mirrors.prepare(named('acme/wrong')).then(
      () => new Error('cloned without the right credentials'),
      error => error,
    );
    expect(wrong.message).toContain(
      'Cannot clone repository acme/wrong (declared by agents.repositories): the remote refused its credentials',
    );
    expect(wrong.message).not.toContain(WRONG);
    expect(wrong.message).not.toContain(basic('krate', WRONG));
    expect(fs.existsSync(mirrors.pathOf('acme/wrong'))).toBe(false);
    await mirrors.prepare(named('acme/private'));
    expect(leaks()).toEqual([]);
  });

  it('refuses a token for a remote that is not http(s)', async () => {
    const logger = mockServices.logger.mock();
    const load = (entry: object) =>
      configuredRepositories({
        config: new ConfigReader({
          agents: { repositories: [{ name: 'acme/x', ...entry }] },
        }),
        cacheDir: path.join(sandbox.base, 'cache'),
        git: new GitCli(),
        logger,
      });
    await expect(
      load({ url: 'ssh://git@example.com/acme/x.git', token: TOKEN }),
    ).rejects.toThrow(
      'agents.repositories[0].token: only an http(s) url takes a token and username',
    );
    await expect(
      load({ url: 'https://example.com/acme/x.git', username: 'krate' }),
    ).rejects.toThrow('agents.repositories[0].username: goes with a token');
  });

  it('takes github and gitlab integration tokens for their https hosts only', async () => {
    const credentialsFor = integrationCredentials(
      new ConfigReader({
        integrations: {
          github: [{ host: 'github.com', token: TOKEN }],
          gitlab: [
            {
              host: 'gitlab.internal',
              apiBaseUrl: 'https://gitlab.internal/api/v4',
              token: WRONG,
            },
          ],
        },
      }),
    );
    expect(
      (await credentialsFor('https://github.com/acme/x.git'))?.envFor(
        'https://github.com/acme/x.git',
      ),
    ).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic(
        'x-access-token',
        TOKEN,
      )}`,
    });
    expect(
      (await credentialsFor('https://gitlab.internal/a/b.git'))?.envFor(
        'https://gitlab.internal/a/b.git',
      ).GIT_CONFIG_VALUE_0,
    ).toBe(`Authorization: Basic ${basic('oauth2', WRONG)}`);
    expect(
      await credentialsFor('http://github.com/acme/x.git'),
    ).toBeUndefined();
    expect(
      await credentialsFor('https://example.com/acme/x.git'),
    ).toBeUndefined();
    expect(await credentialsFor('git@github.com:acme/x.git')).toBeUndefined();
  });
});
