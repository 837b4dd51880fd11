import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import { commit, git } from '../__testUtils__/gitFixtures';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createMemoryRepository } from '../__testUtils__/memoryRepository';
import { GitCli } from '../workspaces/GitCli';
import { seedRepository } from './seedRepository';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { agentsResourcePermission } from '@krate/plugin-agents-common';

const dispatchRuns = agentsResourcePermission('AgentDispatchRun', 'create');

jest.setTimeout(90_000);

const databases = createTestDatabases();
const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const SAMPLE = path.join(EXAMPLES, 'repositories/acme/payments-api');

/**
 * The example agent resources as the demo seeds them, but for the `default` workspace policy's
 * root: the shipped one (/var/lib/krate/workspaces) lies outside the embedded workspace root, which
 * the root policy refuses (reported: examples/agents/workspace-policies.yaml needs `root: .`).
 */
function exampleResources() {
  return fs
    .readdirSync(path.join(EXAMPLES, 'agents'))
    .filter(file => file.endsWith('.yaml'))
    .flatMap(file =>
      parseAllDocuments(
        fs.readFileSync(path.join(EXAMPLES, 'agents', file), 'utf8'),
      ).map(doc => doc.toJSON()),
    )
    .filter(Boolean)
    .map(object =>
      object.kind === 'AgentWorkspacePolicy'
        ? {
            ...object,
            spec: {
              ...object.spec,
              provisioning: { ...object.spec.provisioning, root: '.' },
            },
          }
        : object,
    );
}

interface BackendOptions {
  dataDir: string;
  /** The agents plugin's database; default an in-memory SQLite per plugin. */
  knex?: Awaited<ReturnType<typeof createTestStore>>['db']['knex'];
  /** Starts the catalog backend with this file as its location. */
  catalogFile?: string;
  /** The memory repository of acme, as the demo configures one. */
  memoryPath?: string;
  /** A permissions service in place of the allow-all default. */
  permissions?: { factory: any };
}

/** Backends started by the running test; stopped before its data folder goes. */
const running: { stop(): Promise<void> }[] = [];

async function stopBackends() {
  for (const started of running.splice(0)) {
    await started.stop();
  }
}

async function backend({
  dataDir,
  knex,
  catalogFile,
  memoryPath,
  permissions,
}: BackendOptions) {
  const features: any[] = [
    agentsPlugin,
    agentsModuleScriptedRuntime,
    mockServices.rootConfig.factory({
      data: {
        agents: {
          dispatch: {
            runsRoot: path.join(dataDir, 'runs'),
            pollIntervalMs: 50,
            leaseDurationSeconds: 1,
          },
          workspaces: {
            root: path.join(dataDir, 'workspaces'),
            repositoryRoots: [path.join(dataDir, 'repositories')],
          },
          repositoryCache: { directory: path.join(dataDir, 'cache') },
          repositories: [{ name: 'acme/payments-api', directory: SAMPLE }],
          ...(memoryPath
            ? { memory: { orgs: [{ org: 'acme', path: memoryPath }] } }
            : {}),
        },
        ...(catalogFile
          ? {
              catalog: {
                rules: [{ allow: ['Component', 'Location'] }],
                locations: [{ type: 'file', target: catalogFile }],
              },
            }
          : {}),
      },
    }),
  ];
  if (knex) {
    features.push(mockServices.database.factory({ knex }));
  }
  if (catalogFile) {
    features.push(catalogPlugin);
  }
  if (permissions) {
    features.push(permissions.factory);
  }
  const started = await startTestBackend({ features });
  running.push(started);
  return started.server;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}: ${JSON.stringify(value)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

const getRun = (server: any, name: string) =>
  request(server)
    .get(`/api/agents/runs/${name}`)
    .then(r => r.body);
const getWorkspace = (server: any, name: string) =>
  request(server)
    .get(
      `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentworkspaces/${name}`,
    )
    .then(r => r.body);

function tempDataDir() {
  return fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'krate-repositories-')),
  );
}

describe.each(databases.eachSupportedId())(
  'repositories in the backend on %p',
  databaseId => {
    let dataDir: string;
    beforeEach(() => {
      dataDir = tempDataDir();
    });
    afterEach(async () => {
      await stopBackends();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('runs the seeded scripted-demo stack in a worktree of the offline demo repository', async () => {
      const { db } = await createTestStore(databases, databaseId);
      const memory = createMemoryRepository();
      running.push({ stop: async () => memory.remove() });
      const server = await backend({
        dataDir,
        knex: db.knex,
        memoryPath: memory.path,
      });
      for (const object of exampleResources()) {
        expect(
          (await request(server).post('/api/agents/apply').send(object)).status,
        ).toBe(200);
      }
      const dispatched = await request(server).post('/api/agents/runs').send({
        namespace: 'acme',
        stack: 'scripted-demo',
        prompt: 'Fix the rounding bug',
        repository: 'acme/payments-api',
      });
      expect(dispatched.status).toBe(201);
      const name = dispatched.body.metadata.name;
      expect(dispatched.body.spec.workspace).toBe(name);
      // The demo stack reads acme's memory: resolved at dispatch, given to the agent.
      expect(dispatched.body.spec.memorySnapshot).toMatchObject({
        org: 'acme',
        commit: memory.first,
        resolvedFrom: 'current',
        manifest: expect.arrayContaining([
          {
            query: 0,
            path: 'services/payments-api.md',
            id: 'services/payments-api',
          },
          expect.objectContaining({ query: 1, path: 'services/ledger.md' }),
        ]),
      });

      const cache = path.join(dataDir, 'cache', 'acme', 'payments-api.git');
      const seeded = await seedRepository({
        git: new GitCli(),
        directory: SAMPLE,
        target: path.join(dataDir, 'reference.git'),
      });
      const workspace = await getWorkspace(server, name);
      expect(workspace.spec).toMatchObject({
        repository: 'acme/payments-api',
        path: path.join(dataDir, 'workspaces', 'acme', name),
        branch: `agents/${name}`,
        ref: 'HEAD',
        sha: seeded,
        trustTier: 'trusted',
        serviceAccountName: 'agent-default',
        ownership: { kind: 'dispatch-run', ref: name },
        policy: 'default',
      });
      expect(workspace.status).toMatchObject({
        state: 'active',
        activeRuns: [name],
        runs: [name],
        lastAction: { action: 'provision', result: 'succeeded' },
      });
      expect(git(workspace.spec.path, 'rev-parse', '--git-common-dir')).toBe(
        cache,
      );

      const waiting = await waitFor(
        'the approval of npm test',
        () => getRun(server, name),
        r => r.status?.phase !== 'Queued' && r.status?.phase !== 'Running',
      );
      expect(waiting.status).toMatchObject({
        phase: 'Waiting',
        reason: 'ApprovalBlocked',
      });
      const [approval] = (
        await request(server).get('/api/agents/approvals?namespace=acme')
      ).body.items;
      expect(
        (
          await request(server)
            .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
            .send({ decision: 'approve' })
        ).status,
      ).toBe(200);
      const run = await waitFor(
        'the run to finish',
        () => getRun(server, name),
        r => ['Succeeded', 'Failed', 'Cancelled'].includes(r.status?.phase),
      );
      expect(run.status.phase).toBe('Succeeded');
      expect(
        fs.readFileSync(
          path.join(workspace.spec.path, 'src/rounding.js'),
          'utf8',
        ),
      ).toBe('exports.toCents = amount => Math.round(amount * 100);\n');
      const events = (
        await request(server).get(`/api/agents/runs/${name}/events`)
      ).body.items;
      const patch = events.find((e: any) => e.type === 'artifact');
      expect(patch.content).toContain(
        '-exports.toCents = amount => Math.floor(amount * 100);',
      );
      expect(patch.content).toContain(
        '+exports.toCents = amount => Math.round(amount * 100);',
      );
      expect(events).not.toContainEqual(
        expect.objectContaining({ code: 'RepositoryNotCloned' }),
      );
      const read = (
        await request(server).get(`/api/agents/runs/acme/${name}/memory`)
      ).body;
      expect(read.parts).toContainEqual(
        expect.objectContaining({
          kind: 'memory',
          provenance: { source: 'services/payments-api.md', ref: memory.first },
        }),
      );
    });
  },
);

// The catalog backend keeps its own database: it runs once, on the default per-plugin SQLite.
describe('repositories from the catalog', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDataDir();
  });
  afterEach(async () => {
    await stopBackends();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('works on repositories catalog entities declare, only from allowed places', async () => {
    const upstream = path.join(dataDir, 'repositories', 'upstream', 'ledger');
    const secret = path.join(dataDir, 'elsewhere', 'secret');
    for (const repo of [upstream, secret]) {
      fs.mkdirSync(repo, { recursive: true });
      git(repo, 'init', '-q', '-b', 'main');
      commit(repo, 'README.md', `${path.basename(repo)}\n`);
    }
    const catalogFile = path.join(dataDir, 'catalog-info.yaml');
    const component = (name: string, annotations: Record<string, string>) =>
      `---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  annotations:\n${Object.entries(
        annotations,
      )
        .map(([k, v]) => `    ${k}: '${v}'`)
        .join(
          '\n',
        )}\nspec:\n  type: service\n  lifecycle: production\n  owner: payments\n`;
    fs.writeFileSync(
      catalogFile,
      component('ledger', {
        'agents.krate.dev/repository': 'acme/ledger',
        'backstage.io/source-location': `dir:${upstream}`,
      }) +
        component('secret', {
          'agents.krate.dev/repository': 'acme/secret',
          'backstage.io/source-location': `dir:${secret}`,
        }),
    );
    const server = await backend({ dataDir, catalogFile });
    await waitFor(
      'the catalog to ingest the entities',
      () =>
        request(server)
          .get(
            '/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name',
          )
          .then(r => r.body.items ?? []),
      (items: any[]) => items.length === 2,
    );
    await request(server)
      .post('/api/agents/apply')
      .send({
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentStack',
        metadata: { name: 'hello', namespace: 'acme' },
        spec: { runtime: 'scripted', script: { steps: [{ say: 'hi' }] } },
      })
      .expect(200);

    const lookUp = (name: string) =>
      request(server).get(`/api/agents/repositories/${name}`);
    expect((await lookUp('acme/ledger')).body).toEqual({
      name: 'acme/ledger',
      source: 'catalog',
      declaredBy: 'component:default/ledger',
    });
    expect((await lookUp('acme/payments-api')).body).toEqual({
      name: 'acme/payments-api',
      source: 'configuration',
      declaredBy: 'agents.repositories',
    });
    // Declared outside the repository roots, so not a repository runs get a workspace of.
    expect((await lookUp('acme/secret')).status).toBe(404);
    expect((await lookUp('acme/unknown')).status).toBe(404);
    const badName = await lookUp('acme/has%20space');
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toMatch(/^repository: /);

    const ledger = await request(server).post('/api/agents/runs').send({
      namespace: 'acme',
      stack: 'hello',
      prompt: 'x',
      repository: 'acme/ledger',
      ref: 'main',
    });
    expect(ledger.status).toBe(201);
    expect(ledger.body.spec.workspace).toBe(ledger.body.metadata.name);
    const workspace = await getWorkspace(server, ledger.body.metadata.name);
    expect(git(workspace.spec.path, 'rev-parse', '--git-common-dir')).toBe(
      path.join(dataDir, 'cache', 'acme', 'ledger.git'),
    );
    expect(workspace.spec.sha).toBe(git(upstream, 'rev-parse', 'main'));

    // A local path outside the repository roots is never cloned for an entity.
    const elsewhere = await request(server).post('/api/agents/runs').send({
      namespace: 'acme',
      stack: 'hello',
      prompt: 'x',
      repository: 'acme/secret',
    });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.spec.workspace).toBeUndefined();
    expect(
      fs.existsSync(path.join(dataDir, 'cache', 'acme', 'secret.git')),
    ).toBe(false);
    for (const run of [ledger.body, elsewhere.body]) {
      await waitFor(
        `run ${run.metadata.name} to finish`,
        () => getRun(server, run.metadata.name),
        r => r.status?.phase === 'Succeeded',
      );
    }
    const warnings = (
      await request(server).get(
        `/api/agents/runs/${elsewhere.body.metadata.name}/events`,
      )
    ).body.items.filter((e: any) => e.type === 'warning');
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'RepositoryNotCloned' }),
    );
  });

  it('answers a repository lookup only to who may dispatch runs in the org', async () => {
    const server = await backend({
      dataDir,
      permissions: permissionsDenying(name => name === dispatchRuns.name),
    });
    const response = await request(server).get(
      '/api/agents/repositories/acme/payments-api',
    );
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain(dispatchRuns.name);
  });
});
