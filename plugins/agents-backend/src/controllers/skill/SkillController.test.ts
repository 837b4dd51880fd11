import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AgentSkill } from '@krate/plugin-agents-common';
import fs from 'node:fs';
import path from 'node:path';
import { createTestStore } from '../../__testUtils__/createTestStore';
import { commit, git, gitSandbox } from '../../__testUtils__/gitFixtures';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { until } from '../../__testUtils__/until';
import { agentsPlugin } from '../../plugin';
import request from 'supertest';
import { Repositories, RepositoryMirrors } from '../../repositories';
import { ALICE, object, registryOf, testRuntime } from '../stack/testObjects';
import { SKILL_CONTROLLER_ACTOR, SkillController } from './SkillController';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const skill = (
  source: Record<string, unknown>,
  compatibleRuntimes?: string[],
  name = 'triage',
) =>
  object('AgentSkill', name, {
    source: { repository: 'acme/skills', ...source },
    ...(compatibleRuntimes ? { compatibleRuntimes } : {}),
  });

describe.each(databases.eachSupportedId())('SkillController on %p', id => {
  let sandbox: ReturnType<typeof gitSandbox>;
  let controller: SkillController | undefined;
  afterEach(async () => {
    await controller?.stop();
    controller = undefined;
    sandbox.cleanup();
  });

  async function setUp() {
    sandbox = gitSandbox();
    const skillCommit = commit(
      sandbox.repo,
      'skills/triage/SKILL.md',
      '# Triage\n',
    );
    const { store, audit } = await createTestStore(databases, id);
    const logger = mockServices.logger.mock();
    // A clone under the repository roots, and declared repositories served through the cache.
    const local = path.join(sandbox.root, 'acme', 'local');
    fs.mkdirSync(local, { recursive: true });
    git(local, 'init', '-q', '-b', 'trunk');
    commit(local, 'runbooks/deploy.md', 'deploy\n');
    const repositories = new Repositories({
      repositoryRoots: [sandbox.root],
      configured: [
        { name: 'acme/skills', url: sandbox.repo, declaredBy: 'test' },
        {
          name: 'acme/later',
          url: path.join(sandbox.base, 'later'),
          declaredBy: 'test',
        },
      ],
      mirrors: new RepositoryMirrors({
        cacheDir: path.join(sandbox.base, 'cache'),
        fetchIntervalMs: 0,
        logger,
      }),
      logger,
    });
    const start = async () => {
      controller = new SkillController({
        store,
        runtimes: registryOf(testRuntime('mux'), testRuntime('codex')),
        repositories,
        logger,
        pollMs: 100,
        revalidateMs: 300,
      });
      await controller.start();
      return controller;
    };
    const status = async (name = 'triage') =>
      ((await store.get('AgentSkill', 'acme', name)) as AgentSkill | undefined)
        ?.status;
    const statusWrites = async (name = 'triage') =>
      (
        await audit.listForTarget({
          target: { kind: 'AgentSkill', namespace: 'acme', name },
          limit: 100,
        })
      ).filter(record => record.action === 'update-status');
    return { store, status, statusWrites, start, skillCommit };
  }

  it('marks a skill whose source is there Valid, with the commit its ref resolved to', async () => {
    const { store, status, statusWrites, start, skillCommit } = await setUp();
    await store.create(
      skill({ path: 'skills/triage', ref: 'main' }, ['mux']),
      ALICE,
    );
    await store.create(
      object('AgentSkill', 'deploy', {
        source: { repository: 'acme/local', path: './runbooks/deploy.md' },
      }),
      ALICE,
    );
    await start();
    await controller!.whenSynced();

    expect(await status()).toEqual({
      observedGeneration: 1,
      validation: 'Valid',
      resolvedCommit: skillCommit,
      lastValidationTime: expect.any(String),
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Validated',
          message: `skills/triage is a directory in acme/skills at main (${skillCommit}). It works with mux.`,
          lastTransitionTime: expect.any(String),
        },
      ],
    });
    const local = path.join(sandbox.root, 'acme', 'local');
    expect(await status('deploy')).toMatchObject({
      validation: 'Valid',
      resolvedCommit: git(local, 'rev-parse', 'HEAD'),
      conditions: [
        {
          status: 'True',
          message: expect.stringMatching(
            /^\.\/runbooks\/deploy\.md is a file in acme\/local at HEAD .* It works with every runtime that loads skills \(registered: mux, codex\)\.$/,
          ),
        },
      ],
    });
    const writes = await statusWrites();
    expect(writes).toHaveLength(1);
    expect(writes[0].actor).toBe(SKILL_CONTROLLER_ACTOR);

    // Validating again finds the same: nothing is written.
    const first = (await status())!.lastValidationTime;
    await new Promise(resolve => setTimeout(resolve, 1_000));
    await controller!.whenSynced();
    expect(await statusWrites()).toHaveLength(1);
    expect((await status())!.lastValidationTime).toBe(first);
  });

  it('marks a missing path Invalid until the ref brings it', async () => {
    const { store, status, start } = await setUp();
    await store.create(skill({ path: 'skills/release' }), ALICE);
    await start();
    const head = git(sandbox.repo, 'rev-parse', 'main');
    expect(await until(status, s => s?.validation !== undefined)).toMatchObject(
      {
        validation: 'Invalid',
        resolvedCommit: head,
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'PathNotFound',
            message: `spec.source.path 'skills/release' is not in acme/skills at HEAD (${head}).`,
          },
        ],
      },
    );

    const moved = commit(sandbox.repo, 'skills/release/SKILL.md', '# R\n');
    expect(await until(status, s => s?.validation === 'Valid')).toMatchObject({
      resolvedCommit: moved,
    });
  });

  it('marks unknown runtimes Invalid, naming the registered ones', async () => {
    const { store, status, start, skillCommit } = await setUp();
    await store.create(
      skill({ path: 'skills/triage' }, ['mux', 'gemini', 'aider']),
      ALICE,
    );
    await start();
    expect(await until(status, s => s?.validation !== undefined)).toMatchObject(
      {
        validation: 'Invalid',
        resolvedCommit: skillCommit,
        conditions: [
          {
            status: 'False',
            reason: 'UnknownRuntime',
            message:
              "spec.compatibleRuntimes names 'gemini', 'aider', which no module registers here (registered: mux, codex); name registered runtimes or add the runtime's module to the backend.",
          },
        ],
      },
    );
  });

  it('marks unknown repositories, refs and escaping paths Invalid', async () => {
    const { store, status, start } = await setUp();
    await store.create(
      skill({ repository: 'acme/nope', path: 'a' }, undefined, 'unknown'),
      ALICE,
    );
    await store.create(
      skill({ path: 'skills/triage', ref: 'v9' }, undefined, 'no-ref'),
      ALICE,
    );
    await store.create(
      skill({ path: '../../etc/passwd' }, undefined, 'escape'),
      ALICE,
    );
    await start();
    const reasonOf = async (name: string) =>
      (await until(
        () => status(name),
        s => s?.validation !== undefined,
      ))!.conditions![0].reason;
    expect(await reasonOf('unknown')).toBe('RepositoryUnknown');
    expect(await reasonOf('no-ref')).toBe('RefNotFound');
    expect(await reasonOf('escape')).toBe('PathOutsideRepository');
    expect(await status('no-ref')).not.toHaveProperty('resolvedCommit');
  });

  it('keeps a skill Pending while its repository cannot be reached, and retries', async () => {
    const { store, status, start } = await setUp();
    await store.create(
      skill({ repository: 'acme/later', path: 'x.md' }),
      ALICE,
    );
    await start();
    const pending = await until(status, s => s?.validation !== undefined);
    expect(pending).toMatchObject({
      validation: 'Pending',
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'RepositoryUnreachable',
          message: expect.stringMatching(
            /^Repository acme\/later could not be reached; validation is retried\. Cannot clone repository acme\/later/,
          ),
        },
      ],
    });
    expect(pending).not.toHaveProperty('resolvedCommit');

    const later = path.join(sandbox.base, 'later');
    fs.mkdirSync(later);
    git(later, 'init', '-q', '-b', 'main');
    const head = commit(later, 'x.md', 'x\n');
    expect(await until(status, s => s?.validation === 'Valid')).toMatchObject({
      resolvedCommit: head,
    });
  });

  it('validates a changed skill again', async () => {
    const { store, status, start } = await setUp();
    const created = await store.create(
      skill({ path: 'skills/triage' }, ['mux']),
      ALICE,
    );
    await start();
    await until(status, s => s?.validation === 'Valid');
    const current = (await store.get('AgentSkill', 'acme', 'triage'))!;
    await store.update(
      { ...current, spec: { ...created.spec, compatibleRuntimes: ['nope'] } },
      ALICE,
    );
    expect(await until(status, s => s?.validation === 'Invalid')).toMatchObject(
      {
        observedGeneration: 2,
        conditions: [{ reason: 'UnknownRuntime' }],
      },
    );
  });
});

describe('the agents plugin', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  afterEach(() => sandbox.cleanup());

  it('validates the skills written through its API', async () => {
    sandbox = gitSandbox();
    const clone = path.join(sandbox.root, 'acme', 'skills');
    fs.mkdirSync(clone, { recursive: true });
    git(clone, 'init', '-q', '-b', 'main');
    const head = commit(clone, 'skills/triage/SKILL.md', '# Triage\n');
    const { server } = await startTestBackend({
      features: [
        agentsPlugin,
        mockServices.rootConfig.factory({
          data: {
            agents: {
              workspaces: {
                root: path.join(sandbox.base, 'workspaces'),
                repositoryRoots: [sandbox.root],
              },
            },
          },
        }),
      ],
    });
    const skills =
      '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentskills';
    const created = await request(server)
      .post(skills)
      .send(skill({ path: 'skills/triage' }));
    expect(created.status).toBe(201);
    const validated = await until(
      async () => (await request(server).get(`${skills}/triage`)).body.status,
      status => status?.validation !== undefined,
    );
    expect(validated).toMatchObject({
      validation: 'Valid',
      resolvedCommit: head,
    });
  });
});
