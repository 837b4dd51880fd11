import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git } from '../__testUtils__/gitFixtures';
import { GitCli } from '../workspaces/GitCli';
import { configuredRepositories } from './configuredRepositories';

describe('configuredRepositories', () => {
  let base: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'agents-configured-'));
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const read = (
    repositories: Record<string, string>[],
    logger = mockServices.logger.mock(),
  ) =>
    configuredRepositories({
      config: new ConfigReader({ agents: { repositories } }),
      cacheDir: path.join(base, 'cache'),
      git: new GitCli(),
      logger,
    });

  it('reads URLs as they are and seeds directories into the cache', async () => {
    const files = path.join(base, 'files');
    fs.mkdirSync(files);
    fs.writeFileSync(path.join(files, 'README.md'), 'demo\n');
    const definitions = await read([
      {
        name: 'acme/payments-api',
        url: 'https://github.com/acme/payments-api.git',
        defaultBranch: 'trunk',
      },
      { name: 'acme/demo', directory: files },
    ]);
    const seed = path.join(base, 'cache', '.seeds', 'acme', 'demo.git');
    expect(definitions).toEqual([
      {
        name: 'acme/payments-api',
        url: 'https://github.com/acme/payments-api.git',
        defaultBranch: 'trunk',
        declaredBy: 'agents.repositories',
      },
      { name: 'acme/demo', url: seed, declaredBy: 'agents.repositories' },
    ]);
    expect(git(seed, 'show', 'main:README.md')).toBe('demo');
  });

  it('refuses malformed entries naming them, and leaves out a seed folder it cannot read', async () => {
    await expect(
      read([{ name: 'payments-api', url: '/srv/x' }]),
    ).rejects.toThrow(
      "agents.repositories[0].name: 'payments-api' is not <org>/<repository>",
    );
    await expect(
      read([{ name: 'acme/x', url: '/srv/x', directory: '/srv/y' }]),
    ).rejects.toThrow(
      'agents.repositories[0]: set exactly one of url and directory',
    );
    await expect(
      read([{ name: 'acme/x', url: 'ext::sh -c id' }]),
    ).rejects.toThrow(
      "agents.repositories[0].url: 'ext::sh -c id' is not a git URL",
    );
    await expect(
      read([
        { name: 'acme/x', url: '/srv/x' },
        { name: 'acme/x', url: '/srv/y' },
      ]),
    ).rejects.toThrow(
      'agents.repositories[1].name: acme/x is configured twice',
    );

    const logger = mockServices.logger.mock();
    expect(
      await read(
        [{ name: 'acme/demo', directory: path.join(base, 'missing') }],
        logger,
      ),
    ).toEqual([]);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('cannot seed repository acme/demo'),
    );
  });
});
