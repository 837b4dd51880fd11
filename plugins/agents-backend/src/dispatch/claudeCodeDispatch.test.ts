import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleClaudeCodeRuntime } from '../runtimes/cli';
import { claudeCodePackage } from '../runtimes/cli/claudeCode/claudeCodePackage';
import { defaultCliCacheDir } from '../runtimes/cli/CliInstaller';
import { FakeAnthropicApi } from '../__testUtils__/modelApis/FakeAnthropicApi';
import { INSTALL_TIMEOUT_MS, testInstaller } from '../__testUtils__/cliTestKit';

jest.setTimeout(60_000);

/**
 * The whole path with the real Claude Code CLI: POST /runs, the attempt's PreToolUse hook asking
 * the backend, a human gate in the approvals API, the tool really running after approval. Only
 * the model is a stand-in (the fake Anthropic API on loopback).
 */
describe('dispatching a Claude Code stack', () => {
  let dataDir: string;
  let fake: FakeAnthropicApi;

  beforeAll(async () => {
    await testInstaller().install(claudeCodePackage());
  }, INSTALL_TIMEOUT_MS);
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-claude-dispatch-'));
  });
  afterEach(async () => {
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds the Bash tool at the human gate until another user approves, then runs it', async () => {
    fake = await FakeAnthropicApi.start([
      {
        text: 'Writing the file.',
        toolCalls: [
          {
            id: 'toolu_gate_1',
            name: 'Bash',
            input: { command: 'echo approved > gate.txt' },
          },
        ],
      },
      { text: 'Done: gate.txt is written.' },
    ]);
    const backend = await startTestBackend({
      features: [
        agentsPlugin,
        agentsModuleClaudeCodeRuntime,
        mockServices.rootConfig.factory({
          data: {
            agents: {
              dispatch: {
                runsRoot: path.join(dataDir, 'runs'),
                pollIntervalMs: 50,
              },
              runtimes: {
                cli: {
                  cacheDir: defaultCliCacheDir(),
                  sessionsDir: path.join(dataDir, 'sessions'),
                },
                claudeCode: {
                  enabled: true,
                  baseUrl: fake.url,
                  apiKey: 'sk-ant-dispatch-test-7c41b2',
                },
              },
            },
          },
        }),
      ],
    });
    const { server } = backend;
    for (const object of [
      {
        kind: 'AgentToolProfile',
        metadata: { name: 'gated', namespace: 'acme' },
        spec: { approvalRequired: ['shell'] },
      },
      {
        kind: 'AgentStack',
        metadata: { name: 'claude', namespace: 'acme' },
        spec: {
          runtime: 'claude-code',
          model: 'claude-sonnet-4-5',
          toolProfile: 'gated',
        },
      },
    ]) {
      await request(server)
        .post('/api/agents/apply')
        .send({ apiVersion: 'agents.krate.dev/v1alpha1', ...object })
        .expect(200);
    }

    const created = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: 'claude', prompt: 'Write gate.txt' });
    expect(created.status).toBe(201);
    const name = created.body.metadata.name;
    const runDir = path.join(dataDir, 'runs', 'acme', name);

    const runOf = async () =>
      (await request(server).get(`/api/agents/runs/${name}`)).body;
    let run = await runOf();
    for (let i = 0; i < 400 && run.status?.phase !== 'Waiting'; i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
      run = await runOf();
    }
    expect(run.status).toMatchObject({
      phase: 'Waiting',
      reason: 'ApprovalBlocked',
    });
    expect(existsSync(path.join(runDir, 'gate.txt'))).toBe(false);

    const [approval] = (
      await request(server).get('/api/agents/approvals?namespace=acme')
    ).body.items;
    expect(approval.spec).toMatchObject({
      actionClass: 'shell',
      toolName: 'Bash',
      target: 'echo approved > gate.txt',
    });
    await request(server)
      .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
      .set('authorization', mockCredentials.user.header('user:default/bob'))
      .send({ decision: 'approve' })
      .expect(200);

    for (let i = 0; i < 400 && run.status?.phase !== 'Succeeded'; i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
      run = await runOf();
    }
    expect(run.status).toMatchObject({ phase: 'Succeeded' });
    expect(readFileSync(path.join(runDir, 'gate.txt'), 'utf8')).toBe(
      'approved\n',
    );
    const log = (await request(server).get(`/api/agents/runs/${name}/events`))
      .body;
    const types = log.items.map((e: any) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'session_started',
        'tool_call',
        'approval_requested',
        'approval_decided',
        'tool_result',
        'text',
      ]),
    );
    expect(JSON.stringify(log)).not.toContain('sk-ant-dispatch-test-7c41b2');
    expect(run.status.session).toEqual(expect.any(String));
    await backend.stop();
  });
});
