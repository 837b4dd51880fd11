import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { agentsPlugin } from '../../plugin';
import { createTestStore } from '../../__testUtils__/createTestStore';
import { GithubApiDouble } from '../../__testUtils__/forges/GithubApiDouble';
import { commit, gitSandbox } from '../../__testUtils__/gitFixtures';
import { permissionsDenying } from '../../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { agentsModuleGithubWriteBack } from '../targets/github';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const CONFIG_REPO = 'acme/platform-config';
const SECRET_VALUE = 'krate-canary-release-bot-token-0042';
const FILE = 'agents/AgentSecretGrant/release-bot-for-release-checklist.yaml';

const grant = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentSecretGrant',
  metadata: { name: 'release-bot-for-release-checklist', namespace: 'acme' },
  spec: {
    secretName: 'release-bot',
    keys: ['token'],
    subjects: [{ kind: 'skill', name: 'release-checklist' }],
    purpose: 'The release checklist skill posts the release notes.',
  },
};

const gitShow = (gitDir: string, spec: string) =>
  execFileSync('git', ['--git-dir', gitDir, 'show', spec], {
    encoding: 'utf8',
  });

describe.each(databases.eachSupportedId())(
  'configuration proposals on %p',
  databaseId => {
    let github: GithubApiDouble;
    let sandbox: ReturnType<typeof gitSandbox>;
    let dataDir: string;
    let denied = '';

    beforeEach(async () => {
      github = await GithubApiDouble.start();
      sandbox = gitSandbox();
      commit(sandbox.repo, 'agents/README.md', 'Agent configuration\n');
      github.repositories.add(CONFIG_REPO, { source: sandbox.repo });
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-proposals-'));
      denied = '';
    });
    afterEach(async () => {
      await github.close();
      sandbox.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function backend(
      id: TestDatabaseId,
      options: { forge?: boolean; remote?: string } = {},
    ) {
      const { db } = await createTestStore(databases, id);
      const started = await startTestBackend({
        features: [
          agentsPlugin,
          ...(options.forge === false ? [] : [agentsModuleGithubWriteBack]),
          permissionsDenying(name => name === denied).factory,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({
            data: {
              integrations: { github: [github.integration] },
              agents: {
                permissions: { decisionCacheSeconds: 0 },
                repositoryCache: { directory: path.join(dataDir, 'cache') },
                repositories: [
                  {
                    name: CONFIG_REPO,
                    url: options.remote ?? github.remote(CONFIG_REPO),
                  },
                ],
                configurationRepositories: [
                  { org: 'acme', repository: CONFIG_REPO },
                ],
                secrets: {
                  acme: { secrets: { 'release-bot': { token: SECRET_VALUE } } },
                },
              },
            },
          }),
        ],
      });
      return { server: started.server, knex: db.knex };
    }

    const propose = (server: any, body: object) =>
      request(server).post('/api/agents/configuration/proposals').send(body);

    it('opens one pull request holding the YAML, and the same request again changes nothing', async () => {
      const { server } = await backend(databaseId);
      const targets = await request(server).get(
        '/api/agents/configuration/proposals/targets?namespace=acme',
      );
      expect(targets.status).toBe(200);
      expect(targets.body).toMatchObject({
        repository: CONFIG_REPO,
        path: 'agents',
      });
      expect(targets.body.targets.slice(0, 2)).toEqual([
        expect.objectContaining({
          target: 'github',
          operation: 'pull-request',
          available: true,
        }),
        expect.objectContaining({
          target: 'git',
          operation: 'branch',
          available: true,
        }),
      ]);

      const first = await propose(server, { object: grant });
      expect([first.status, first.body.error?.message]).toEqual([
        201,
        undefined,
      ]);
      expect(first.body).toMatchObject({
        state: 'applied',
        target: 'github',
        operation: 'pull-request',
        repository: CONFIG_REPO,
        path: FILE,
        requestedBy: expect.stringMatching(/^user:/),
      });
      const repository = github.repositories.get(CONFIG_REPO);
      expect(repository.pulls).toHaveLength(1);
      const [pull] = repository.pulls;
      expect(pull.pull?.head).toBe(first.body.branch);
      expect(pull.pull?.base).toBe('main');
      expect(pull.title).toBe(
        'Propose AgentSecretGrant acme/release-bot-for-release-checklist',
      );
      expect(pull.body).toContain(
        `<!-- krate-configuration-proposal:${first.body.key} -->`,
      );
      const branchYaml = gitShow(
        repository.gitDir,
        `refs/heads/${first.body.branch}:${FILE}`,
      );
      expect(parse(branchYaml)).toEqual(grant);
      // The branch is the base plus the one file.
      expect(
        gitShow(
          repository.gitDir,
          `refs/heads/${first.body.branch}:agents/README.md`,
        ),
      ).toBe('Agent configuration\n');
      expect(first.body.results).toEqual([
        expect.objectContaining({ target: 'git', operation: 'branch' }),
        {
          target: 'github',
          operation: 'pull-request',
          ref: String(pull.number),
          url: expect.stringContaining(`/${CONFIG_REPO}/pull/${pull.number}`),
        },
      ]);

      const again = await propose(server, { object: grant });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(
        github.requestsTo('POST', `/repos/${CONFIG_REPO}/pulls`),
      ).toHaveLength(1);

      const listed = await request(server).get(
        `/api/agents/configuration/proposals?namespace=acme&kind=AgentSecretGrant&name=${grant.metadata.name}`,
      );
      expect(listed.body.items).toEqual([first.body]);
    });

    it('records a forge that dies after creating the pull request as failed, and the retry finds it', async () => {
      const { server } = await backend(databaseId);
      github.faults.inject({
        kind: 'crash-after-create',
        method: 'POST',
        path: `/api/v3/repos/${CONFIG_REPO}/pulls`,
      });
      const first = await propose(server, { object: grant });
      expect(first.status).toBe(201);
      expect(first.body.state).toBe('failed');
      expect(first.body.message).toMatch(/GitHub/i);
      expect(github.repositories.get(CONFIG_REPO).pulls).toHaveLength(1);

      const retried = await propose(server, { object: grant });
      expect(retried.body).toMatchObject({
        key: first.body.key,
        state: 'applied',
      });
      expect(github.repositories.get(CONFIG_REPO).pulls).toHaveLength(1);
      expect(
        github.requestsTo('POST', `/repos/${CONFIG_REPO}/pulls`),
      ).toHaveLength(1);
      expect(retried.body.results[1].ref).toBe(
        String(github.repositories.get(CONFIG_REPO).pulls[0].number),
      );
    });

    it('pushes a branch to a plain git remote when no forge target is installed', async () => {
      const remote = gitSandbox();
      try {
        execFileSync('git', [
          'clone',
          '-q',
          '--bare',
          sandbox.repo,
          `${remote.base}/config.git`,
        ]);
        const gitDir = `${remote.base}/config.git`;
        const { server } = await backend(databaseId, {
          forge: false,
          remote: gitDir,
        });
        const proposed = await propose(server, { object: grant });
        expect(proposed.status).toBe(201);
        expect(proposed.body).toMatchObject({
          state: 'applied',
          target: 'git',
          operation: 'branch',
        });
        expect(
          parse(gitShow(gitDir, `refs/heads/${proposed.body.branch}:${FILE}`)),
        ).toEqual(grant);
        const edited = {
          ...grant,
          spec: { ...grant.spec, purpose: 'Posts the release notes.' },
        };
        const second = await propose(server, { object: edited });
        expect(second.status).toBe(201);
        expect(second.body.branch).not.toBe(proposed.body.branch);
      } finally {
        remote.cleanup();
      }
    });

    it.each([
      ['no object', {}, /^object: must be a configuration object/],
      [
        'an unknown field',
        { object: grant, extra: 1 },
        /^extra: unknown field/,
      ],
      [
        'an unknown kind',
        { object: { ...grant, kind: 'Nope' } },
        /^object\.kind: not an agents kind/,
      ],
      [
        'an execution kind',
        {
          object: {
            ...grant,
            kind: 'AgentDispatchRun',
          },
        },
        /^object\.kind: AgentDispatchRun is an execution record/,
      ],
      [
        'an invalid spec',
        { object: { ...grant, spec: { ...grant.spec, keys: 'token' } } },
        /^object: .*spec\.keys/,
      ],
      [
        'an empty title',
        { object: grant, title: '' },
        /^title: must be a non-empty string/,
      ],
      [
        'an unknown target',
        { object: grant, target: 'gitlab' },
        /^target: 'gitlab' cannot propose/,
      ],
      [
        'an org without a configuration repository',
        {
          object: {
            ...grant,
            metadata: { ...grant.metadata, namespace: 'globex' },
          },
        },
        /^object\.metadata\.namespace: org globex has no configuration repository/,
      ],
      [
        'a configured secret value',
        {
          object: {
            ...grant,
            spec: { ...grant.spec, purpose: `token ${SECRET_VALUE}` },
          },
        },
        /^object: holds the value of a configured secret/,
      ],
    ])(
      'refuses %s with a 400 naming the field, writing nothing',
      async (_what, body, message) => {
        const { server, knex } = await backend(databaseId);
        const response = await propose(server, body);
        expect(response.status).toBe(400);
        expect(response.body.error.message).toMatch(message);
        expect(JSON.stringify(response.body)).not.toContain(SECRET_VALUE);
        expect(await knex('agents_configuration_proposals')).toEqual([]);
        expect(github.requestsTo('POST', /pulls/)).toEqual([]);
      },
    );

    it('needs the permission applying the object would need: 403 and nothing written without it', async () => {
      const { server, knex } = await backend(databaseId);
      denied = 'agents.secret-grant.create';
      const refused = await propose(server, { object: grant });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(
        /^agents\.secret-grant\.create is not allowed/,
      );
      denied = '';
      const created = await request(server)
        .post('/api/agents/apply')
        .send(grant);
      expect(created.status).toBe(200);
      denied = 'agents.secret-grant.update';
      const refusedUpdate = await propose(server, {
        object: { ...grant, spec: { ...grant.spec, purpose: 'Changed.' } },
      });
      expect(refusedUpdate.status).toBe(403);
      expect(await knex('agents_configuration_proposals')).toEqual([]);
      expect(github.repositories.get(CONFIG_REPO).pulls).toEqual([]);
    });
  },
);
