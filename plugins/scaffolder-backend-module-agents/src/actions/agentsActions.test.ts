import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import agentsPlugin, {
  agentsModuleScriptedRuntime,
} from '@krate/plugin-agents-backend';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { scaffolderModuleAgents } from '../module';
import { capturedActions } from '../__testUtils__/capturedActions';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const INITIATOR = 'user:default/alice';
const API = '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme';

const stack = (name: string, spec: object = {}) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name, namespace: 'acme' },
  spec: {
    runtime: 'scripted',
    description: 'Onboards a repository',
    script: { steps: [{ say: 'Welcome aboard.' }] },
    ...spec,
  },
});

const rule = (name: string, stackName: string) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentTriggerRule',
  metadata: { name, namespace: 'acme' },
  spec: {
    lifecycle: 'active',
    source: { events: ['label'], repositories: ['acme/new-service'] },
    matchers: [
      { field: 'label.name', operator: 'equals', values: ['agent:ready'] },
    ],
    stack: stackName,
    promptTemplate: 'Handle issue #{{event.issue.number}}',
  },
});

describe.each(databases.eachSupportedId())(
  'agents:apply and agents:dispatch against a running agents backend on %p',
  databaseId => {
    const actions = capturedActions();
    let denied = '';
    let server: any;
    let stop: () => Promise<void>;
    let dataDir: string;

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-scaffolder-'));
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          mockServices.database.factory({ knex }),
          agentsPlugin,
          agentsModuleScriptedRuntime,
          actions.plugin,
          scaffolderModuleAgents,
          permissionsDenying(name => name === denied).factory,
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://portal.example:3000' },
              agents: {
                permissions: { decisionCacheSeconds: 0 },
                dispatch: {
                  runsRoot: path.join(dataDir, 'runs'),
                  pollIntervalMs: 50,
                  leaseDurationSeconds: 1,
                },
                workspaces: { root: path.join(dataDir, 'workspaces') },
              },
            },
          }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      await stop?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    afterEach(() => {
      denied = '';
    });

    /** Runs an action as the scaffolder would, returning its outputs. */
    async function run(
      id: string,
      input: object,
      extra: { isDryRun?: boolean; workspacePath?: string } = {},
    ) {
      const ctx = {
        ...createMockActionContext({
          input: input as any,
          ...(extra.workspacePath
            ? { workspacePath: extra.workspacePath }
            : {}),
        }),
        isDryRun: extra.isDryRun,
        getInitiatorCredentials: async () => mockCredentials.user(INITIATOR),
      };
      await actions.get(id).handler(ctx);
      return Object.fromEntries(
        (ctx.output as jest.Mock).mock.calls.map(([name, value]) => [
          name,
          value,
        ]),
      );
    }

    /** Who the agents backend's audit says wrote the object. */
    const actorsOf = async (kind: string, name: string) =>
      (
        await request(server).get(
          `/api/agents/audit?kind=${kind}&namespace=acme&name=${name}`,
        )
      ).body.items.map((record: any) => record.actor);

    const stored = async (plural: string, name: string) =>
      (await request(server).get(`${API}/${plural}/${name}`)).status;

    it('applies resources, then finds them unchanged on a repeat', async () => {
      const resources = [stack('apply-once'), rule('apply-once', 'apply-once')];

      expect(await run('agents:apply', { resources })).toEqual({
        created: [
          'AgentStack acme/apply-once',
          'AgentTriggerRule acme/apply-once',
        ],
        updated: [],
        unchanged: [],
        dryRun: false,
      });
      expect(await stored('agentstacks', 'apply-once')).toBe(200);
      expect(await stored('agenttriggerrules', 'apply-once')).toBe(200);
      expect(await actorsOf('AgentStack', 'apply-once')).toContain(INITIATOR);

      expect(await run('agents:apply', { resources })).toEqual({
        created: [],
        updated: [],
        unchanged: [
          'AgentStack acme/apply-once',
          'AgentTriggerRule acme/apply-once',
        ],
        dryRun: false,
      });

      const changed = stack('apply-once', { description: 'Onboards, kindly' });
      expect(await run('agents:apply', { resources: [changed] })).toMatchObject(
        {
          updated: ['AgentStack acme/apply-once'],
        },
      );
    });

    it('applies a YAML manifest of the workspace, defaulting the namespace', async () => {
      const workspacePath = path.join(dataDir, 'workspace');
      mkdirSync(path.join(workspacePath, 'agents'), { recursive: true });
      writeFileSync(
        path.join(workspacePath, 'agents/onboarding.yaml'),
        [
          'apiVersion: agents.krate.dev/v1alpha1',
          'kind: AgentStack',
          'metadata: { name: from-yaml }',
          'spec: { runtime: scripted }',
        ].join('\n'),
      );

      expect(
        await run(
          'agents:apply',
          { manifestPath: 'agents/onboarding.yaml', namespace: 'acme' },
          { workspacePath },
        ),
      ).toMatchObject({ created: ['AgentStack acme/from-yaml'] });
      expect(await stored('agentstacks', 'from-yaml')).toBe(200);

      await expect(
        run(
          'agents:apply',
          { manifestPath: '../outside.yaml' },
          { workspacePath },
        ),
      ).rejects.toThrow(/outside/);
    });

    it('writes nothing on dryRun, nor in a template dry run', async () => {
      const resources = [stack('dry-one')];

      expect(
        await run('agents:apply', { resources, dryRun: true }),
      ).toMatchObject({ created: ['AgentStack acme/dry-one'], dryRun: true });
      expect(
        await run('agents:apply', { resources }, { isDryRun: true }),
      ).toMatchObject({ created: ['AgentStack acme/dry-one'], dryRun: true });
      expect(await stored('agentstacks', 'dry-one')).toBe(404);
    });

    it('fails naming the invalid field and writes nothing', async () => {
      const invalid = rule('bad-rule', 'bad-stack');
      (invalid.spec as any).lifecycle = 'sometimes';

      await expect(
        run('agents:apply', {
          resources: [stack('bad-stack'), invalid],
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /document 1 \(AgentTriggerRule acme\/bad-rule\): spec\.lifecycle: .*nothing was applied/,
        ),
      });
      expect(await stored('agentstacks', 'bad-stack')).toBe(404);
      expect(await stored('agenttriggerrules', 'bad-rule')).toBe(404);
    });

    it('fails as not allowed for a caller without the permission and writes nothing', async () => {
      denied = 'agents.rule.create';

      await expect(
        run('agents:apply', {
          resources: [
            stack('denied-stack'),
            rule('denied-rule', 'denied-stack'),
          ],
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(/^not allowed: .*agents\.rule\.create/),
      });
      expect(await stored('agentstacks', 'denied-stack')).toBe(404);
      expect(await stored('agenttriggerrules', 'denied-rule')).toBe(404);
    });

    it('dispatches a run as the initiator and outputs its link in the portal', async () => {
      await run('agents:apply', { resources: [stack('onboarding')] });

      const output = await run('agents:dispatch', {
        namespace: 'acme',
        stack: 'onboarding',
        prompt: 'Read the repository and write ONBOARDING.md',
      });

      expect(output).toEqual({
        run: expect.any(String),
        phase: 'Queued',
        runUrl: `http://portal.example:3000/agents/runs/${output.run}?namespace=acme`,
      });
      const dispatched = await request(server).get(
        `/api/agents/runs/${output.run}`,
      );
      expect(dispatched.status).toBe(200);
      expect(dispatched.body.spec).toMatchObject({
        stack: 'onboarding',
        prompt: 'Read the repository and write ONBOARDING.md',
      });
      expect(await actorsOf('AgentDispatchRun', output.run)).toContain(
        INITIATOR,
      );
    });

    it('dispatches nothing in a template dry run', async () => {
      await run('agents:apply', { resources: [stack('dry-dispatch')] });
      const runsOf = async () =>
        (
          await request(server).get('/api/agents/runs?namespace=acme&limit=500')
        ).body.items.filter((r: any) => r.spec.stack === 'dry-dispatch');

      expect(
        await run(
          'agents:dispatch',
          { namespace: 'acme', stack: 'dry-dispatch', prompt: 'Onboard' },
          { isDryRun: true },
        ),
      ).toEqual({ phase: 'NotDispatched' });
      expect(await runsOf()).toEqual([]);
    });

    it('waits for the repository it was told to wait for, and dispatches nothing when it stays unknown', async () => {
      await run('agents:apply', { resources: [stack('waits')] });
      const runsOf = async () =>
        (
          await request(server).get('/api/agents/runs?namespace=acme&limit=500')
        ).body.items.filter((r: any) => r.spec.stack === 'waits');

      await expect(
        run('agents:dispatch', {
          namespace: 'acme',
          stack: 'waits',
          prompt: 'Onboard',
          repository: 'acme/nowhere',
          waitForRepositorySeconds: 1,
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /^repository: acme\/nowhere is still not known to Krate Agents after 1 s/,
        ),
      });
      expect(await runsOf()).toEqual([]);
    });

    it('refuses to dispatch an unknown stack, or as a caller without the permission', async () => {
      await expect(
        run('agents:dispatch', {
          namespace: 'acme',
          stack: 'no-such-stack',
          prompt: 'Onboard',
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('no-such-stack'),
      });

      denied = 'agents.run.create';
      await expect(
        run('agents:dispatch', {
          namespace: 'acme',
          stack: 'onboarding',
          prompt: 'Onboard',
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(/^not allowed: .*agents\.run\.create/),
      });
    });
  },
);
