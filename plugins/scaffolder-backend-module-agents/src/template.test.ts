import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import agentsPlugin, {
  agentsModuleScriptedRuntime,
} from '@krate/plugin-agents-backend';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { scaffolderModuleAgents } from './module';
import { GithubRepositoryHost } from './__testUtils__/GithubRepositoryHost';

jest.setTimeout(120_000);

const EXAMPLES = path.resolve(__dirname, '../../../examples');
const TEMPLATE = path.join(
  EXAMPLES,
  'template/agents-onboarding/template.yaml',
);
const INITIATOR = 'user:default/alice';
const PORTAL = 'http://portal.example:3000';

async function until<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

describe('the agents-onboarding template, run by the scaffolder backend', () => {
  let github: GithubRepositoryHost;
  let dataDir: string;
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    github = await GithubRepositoryHost.start();
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-template-'));
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleScaffolderEntityModel,
        scaffolderPlugin,
        scaffolderModuleGithub,
        scaffolderModuleAgents,
        agentsPlugin,
        agentsModuleScriptedRuntime,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: PORTAL },
            integrations: { github: [github.integration] },
            catalog: {
              rules: [{ allow: ['Component', 'Location', 'Template'] }],
              locations: [{ type: 'file', target: TEMPLATE }],
            },
            agents: {
              dispatch: {
                runsRoot: path.join(dataDir, 'runs'),
                pollIntervalMs: 50,
                leaseDurationSeconds: 1,
              },
              workspaces: { root: path.join(dataDir, 'workspaces') },
              repositoryCache: { directory: path.join(dataDir, 'cache') },
              repositories: [
                {
                  name: 'acme/payments-api',
                  directory: path.join(
                    EXAMPLES,
                    'repositories/acme/payments-api',
                  ),
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await until('the template in the catalog', async () => {
      const response = await request(server).get(
        '/api/catalog/entities/by-name/template/default/agents-onboarding',
      );
      return response.status === 200 ? true : undefined;
    });
  });

  afterAll(async () => {
    await stop?.();
    await github?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs the template through `POST /api/scaffolder/v2/tasks` as alice; its finished task. */
  async function runTemplate(values: object) {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('authorization', mockCredentials.user.header(INITIATOR))
      .send({ templateRef: 'template:default/agents-onboarding', values });
    expect(created.status).toBe(201);
    const task = await until('the task to finish', async () => {
      const { body } = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set('authorization', mockCredentials.user.header(INITIATOR));
      return ['completed', 'failed', 'cancelled'].includes(body.status)
        ? body
        : undefined;
    });
    const { body: events } = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('authorization', mockCredentials.user.header(INITIATOR));
    if (task.status !== 'completed') {
      throw new Error(
        `task ${task.status}: ${events
          .map((e: any) => e.body.message)
          .filter(Boolean)
          .join('\n')}`,
      );
    }
    // The template's output comes with the task's completion event.
    const completion = events.find((e: any) => e.type === 'completion');
    return { ...task, output: completion.body.output };
  }

  const agentsObject = async (plural: string, name: string) =>
    request(server).get(
      `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/${plural}/${name}`,
    );

  /** The run the task's "Onboarding run" link points at. */
  function runOf(task: any) {
    const link = task.output.links.find(
      (l: any) => l.title === 'Onboarding run',
    );
    const match = new RegExp(
      `^${PORTAL}/agents/runs/([^?]+)\\?namespace=acme$`,
    ).exec(link?.url ?? '');
    expect(match).not.toBeNull();
    return match![1];
  }

  /**
   * Waits for run `name` to finish, expects it Succeeded without a RepositoryNotCloned warning
   * (it had a workspace of its repository), and answers its artifacts.
   */
  async function succeededInWorkspace(name: string): Promise<any[]> {
    const run = await until('the run to finish', async () => {
      const { body } = await request(server).get(`/api/agents/runs/${name}`);
      return ['Succeeded', 'Failed', 'Cancelled'].includes(body.status?.phase)
        ? body
        : undefined;
    });
    expect(run.status.phase).toBe('Succeeded');
    const { body: events } = await request(server).get(
      `/api/agents/runs/${name}/events`,
    );
    expect(events.items.map((e: any) => e.code).filter(Boolean)).not.toContain(
      'RepositoryNotCloned',
    );
    const { body: artifacts } = await request(server).get(
      `/api/agents/artifacts?run=${name}&namespace=acme`,
    );
    return artifacts.items;
  }

  it('creates the GitHub repository, registers it, applies its agents and dispatches the onboarding run', async () => {
    const task = await runTemplate({
      org: 'acme',
      name: 'new-service',
      target: 'github',
      host: github.host,
      prompt: 'Read this repository and write ONBOARDING.md',
      label: 'agent:ready',
    });

    // The repository exists on GitHub with the skeleton, pushed over git.
    expect(github.requests).toContain('POST /api/v3/orgs/acme/repos');
    expect(
      github.show('acme/new-service', 'main', 'catalog-info.yaml'),
    ).toContain('agents.krate.dev/repository: acme/new-service');
    expect(github.show('acme/new-service', 'main', 'README.md')).toContain(
      'agent:ready',
    );
    expect(task.output.links).toEqual(
      expect.arrayContaining([
        { title: 'Repository', url: `${github.origin}/acme/new-service.git` },
        expect.objectContaining({
          title: 'Open in catalog',
          entityRef: 'component:default/new-service',
        }),
      ]),
    );

    // The stack and the trigger rule, templated from the parameters.
    const stack = await agentsObject('agentstacks', 'new-service-onboarding');
    expect(stack.status).toBe(200);
    expect(stack.body.spec.runtime).toBe('scripted');
    const rule = await agentsObject(
      'agenttriggerrules',
      'new-service-agent-ready',
    );
    expect(rule.status).toBe(200);
    expect(rule.body.spec).toMatchObject({
      stack: 'new-service-onboarding',
      source: { events: ['label'], repositories: ['acme/new-service'] },
      matchers: [
        { field: 'label.name', operator: 'equals', values: ['agent:ready'] },
      ],
      promptTemplate:
        'Work on issue #{{event.issue.number}}: {{event.issue.title}}',
    });

    // The onboarding run, dispatched as the person who ran the template.
    const name = runOf(task);
    const run = await request(server).get(`/api/agents/runs/${name}`);
    expect(run.body.spec).toMatchObject({
      stack: 'new-service-onboarding',
      repository: 'acme/new-service',
      prompt: 'Read this repository and write ONBOARDING.md',
    });
    const audit = await request(server).get(
      `/api/agents/audit?kind=AgentDispatchRun&namespace=acme&name=${name}`,
    );
    expect(audit.body.items.map((r: any) => r.actor)).toContain(INITIATOR);

    // agents:dispatch waited for the agents backend to know the new repository, so the run
    // works in a worktree of it, cloned from GitHub, and leaves its patch there.
    expect(run.body.spec.workspace).toBe(name);
    const artifacts = await succeededInWorkspace(name);
    expect(artifacts[0].spec).toMatchObject({
      kind: 'patch',
      repository: 'acme/new-service',
      stat: { files: 1 },
    });

    // The catalog learns the new repository's Component from GitHub.
    const component = await until('the new Component', async () => {
      const response = await request(server).get(
        '/api/catalog/entities/by-name/component/default/new-service',
      );
      return response.status === 200 ? response.body : undefined;
    });
    expect(component.metadata.annotations).toMatchObject({
      'agents.krate.dev/repository': 'acme/new-service',
      'backstage.io/source-location': `url:${github.origin}/acme/new-service/tree/main/`,
    });
  });

  it('onboards a repository the agents backend already knows, as the demo does', async () => {
    const task = await runTemplate({
      org: 'acme',
      name: 'payments-api',
      target: 'existing',
      prompt: 'Write ONBOARDING.md',
      label: 'agent:onboard',
    });

    expect(task.output.links.map((l: any) => l.title)).toEqual([
      'Onboarding run',
    ]);
    const name = runOf(task);
    const artifacts = await succeededInWorkspace(name);
    expect(artifacts).toHaveLength(1);
    // The patch of ONBOARDING.md, made in a worktree of the known repository.
    expect(artifacts[0].spec).toMatchObject({
      kind: 'patch',
      title: 'onboarding.patch',
      repository: 'acme/payments-api',
      target: { kind: 'branch', ref: `agents/${name}` },
      stat: { files: 1 },
    });
  });
});
