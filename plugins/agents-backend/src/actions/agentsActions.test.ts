import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdtempSync, rmSync } from 'node:fs';
import request from 'supertest';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { applyObjects, dispatchConfig } from '../__testUtils__/dispatchTestKit';
import { createMemoryRepository } from '../__testUtils__/memoryRepository';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { until } from '../__testUtils__/until';

jest.setTimeout(60_000);

const agentsObject = (kind: string, name: string, spec: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

const resources = [
  agentsObject('AgentToolProfile', 'gated', { approvalRequired: ['shell'] }),
  agentsObject('AgentStack', 'helper', {
    runtime: 'scripted',
    description: 'Says hello after running a gated command',
    toolProfile: 'gated',
    allowSelfApproval: true,
    script: {
      steps: [{ shell: 'echo checked' }, { say: 'All done here.' }],
    },
  }),
  agentsObject('AgentStack', 'broken', { runtime: 'no-such-runtime' }),
  agentsObject('AgentTriggerRule', 'labelled', {
    lifecycle: 'active',
    source: { events: ['label'], repositories: ['acme/payments-api'] },
    matchers: [
      { field: 'label.name', operator: 'equals', values: ['agent:ready'] },
    ],
    stack: 'helper',
    promptTemplate: 'Handle issue #{{event.issue.number}}',
  }),
];

/** The tool's JSON answer, or its error text. */
function answerOf(result: any): { error?: string; output?: any } {
  const [content] = result.content as { type: string; text: string }[];
  return result.isError
    ? { error: content.text }
    : { output: result.structuredContent ?? JSON.parse(content.text) };
}

describe('agents actions, served as MCP tools by the MCP actions backend', () => {
  let dataDir: string;
  let denied = '';
  let stop: (() => Promise<void>) | undefined;
  let endpoint: URL;
  let server: any;
  const memory = createMemoryRepository();

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-actions-'));
    const backend = await startTestBackend({
      features: [
        agentsPlugin,
        agentsModuleScriptedRuntime,
        mcpActionsPlugin,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        permissionsDenying(name => name === denied).factory,
        mockServices.rootConfig.factory({
          data: {
            backend: { actions: { pluginSources: ['agents'] } },
            agents: {
              ...dispatchConfig(dataDir),
              permissions: { decisionCacheSeconds: 0 },
              memory: { orgs: [{ org: 'acme', path: memory.path }] },
            },
          },
        }),
      ],
    });
    stop = () => backend.stop();
    server = backend.server;
    await applyObjects(backend.server, ...resources);
    const { port } = backend.server.address() as AddressInfo;
    endpoint = new URL(`http://127.0.0.1:${port}/api/mcp-actions/v1`);
  });

  afterAll(async () => {
    await stop?.();
    rmSync(dataDir, { recursive: true, force: true });
    memory.remove();
  });

  afterEach(() => {
    denied = '';
  });

  async function connect(user = 'user:default/alice') {
    const client = new Client({
      name: 'agents-actions-test',
      version: '1.0.0',
    });
    await client.connect(
      new StreamableHTTPClientTransport(endpoint, {
        requestInit: {
          headers: { authorization: mockCredentials.user.header(user) },
        },
      }),
    );
    return client;
  }

  const call = async (client: Client, action: string, args: object) =>
    answerOf(
      await client.callTool({
        name: `agents.${action}`,
        arguments: args as any,
      }),
    );

  it('lists the agents tools with honest read-only and destructive hints', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    const byName = new Map(tools.map(tool => [tool.name, tool]));
    // The MCP actions backend names each tool `<plugin>.<action>`.
    expect([...byName.keys()].sort()).toEqual([
      'agents.decide-approval',
      'agents.dispatch-run',
      'agents.dry-run-trigger-rule',
      'agents.get-run',
      'agents.list-pending-approvals',
      'agents.list-stacks',
      'agents.search-memory',
    ]);
    expect(byName.get('agents.list-stacks')!.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
    expect(byName.get('agents.decide-approval')!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(byName.get('agents.dispatch-run')!.inputSchema).toMatchObject({
      required: expect.arrayContaining(['namespace', 'stack', 'prompt']),
    });
    await client.close();
  });

  it('lists stacks, dispatches a run, approves its command and reads the finished run, as the caller', async () => {
    const client = await connect();
    const stacks = await call(client, 'list-stacks', {
      namespace: 'acme',
    });
    expect(stacks.output.stacks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'helper', readiness: 'Ready' }),
        expect.objectContaining({
          name: 'broken',
          readiness: 'Invalid',
          conditions: expect.arrayContaining([
            expect.objectContaining({
              message: expect.stringContaining('no-such-runtime'),
            }),
          ]),
        }),
      ]),
    );

    const dispatched = await call(client, 'dispatch-run', {
      namespace: 'acme',
      stack: 'helper',
      prompt: 'Check and say hello',
    });
    expect(dispatched.error).toBeUndefined();
    const { run, link } = dispatched.output;
    expect(link).toBe(`/agents/runs/${run}?namespace=acme`);

    const [approval] = await until(
      async () =>
        (
          await call(client, 'list-pending-approvals', { namespace: 'acme' })
        ).output.approvals,
      (items: any[]) => items.some(a => a.run === run),
    );
    expect(approval).toMatchObject({
      run,
      actionClass: 'shell',
      target: 'echo checked',
      requester: expect.stringContaining('alice'),
    });
    const decided = await call(client, 'decide-approval', {
      namespace: 'acme',
      approval: approval.name,
      decision: 'approve',
    });
    expect(decided.output).toMatchObject({
      state: 'approved',
      decidedBy: 'user:default/alice',
    });

    const finished = await until(
      async () =>
        (
          await call(client, 'get-run', { namespace: 'acme', run })
        ).output,
      (r: any) => r.phase === 'Succeeded',
    );
    expect(finished).toMatchObject({
      stack: 'helper',
      transcript: {
        lastMessage: 'All done here.',
        approvalsRequested: 1,
        truncated: false,
      },
    });
    expect(finished.transcript.events).toBeGreaterThan(3);
    await client.close();
  });

  it('refuses a caller without the permission, naming it, and dispatches nothing', async () => {
    const client = await connect('user:default/bob');
    denied = 'agents.run.create';
    const refused = await call(client, 'dispatch-run', {
      namespace: 'acme',
      stack: 'helper',
      prompt: 'Should not run',
    });
    expect(refused.error).toMatch(
      /^NotAllowedError: agents\.run\.create is not allowed/,
    );
    denied = '';
    const runs = await request(server).get('/api/agents/runs?namespace=acme');
    expect(
      runs.body.items.filter((r: any) => r.spec.prompt === 'Should not run'),
    ).toEqual([]);
    const invalid = await call(client, 'get-run', {
      namespace: 'acme',
      run: 'no-such-run',
    });
    expect(invalid.error).toMatch(/^NotFoundError: /);
    await client.close();
  });

  it('dry-runs a trigger rule on a sample event and searches the memory', async () => {
    const client = await connect();
    const dryRun = await call(client, 'dry-run-trigger-rule', {
      namespace: 'acme',
      rule: 'labelled',
      source: 'label',
      repository: 'acme/payments-api',
      event: {
        label: { name: 'agent:ready' },
        issue: { number: 42, title: 'Total is off', state: 'open' },
      },
    });
    expect(dryRun.output).toMatchObject({
      matched: true,
      outcome: 'dispatched',
      lifecycleDispatches: true,
      prompt: 'Handle issue #42',
      missingFields: [],
    });
    const missed = await call(client, 'dry-run-trigger-rule', {
      namespace: 'acme',
      rule: 'labelled',
      source: 'label',
      repository: 'acme/payments-api',
      event: { label: { name: 'later' } },
    });
    expect(missed.output.matched).toBe(false);

    const found = await call(client, 'search-memory', {
      org: 'acme',
      query: 'payments',
      ignoreCase: true,
      limit: 5,
    });
    expect(found.output.commit).toBe(memory.first);
    expect(found.output.results.length).toBeGreaterThan(0);
    expect(found.output.results[0].citation).toMatch(
      new RegExp(`@${memory.first}#L\\d+$`),
    );
    await client.close();
  });
});
