import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleClaudeCodeRuntime } from '../runtimes/cli';

describe('a stack on a CLI runtime that is not installed', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-missing-cli-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is Invalid with the reason and the install hint, and dispatching it answers 409', async () => {
    const { server } = await startTestBackend({
      features: [
        agentsPlugin,
        agentsModuleClaudeCodeRuntime,
        mockServices.rootConfig.factory({
          data: {
            agents: {
              dispatch: { runsRoot: path.join(dataDir, 'runs') },
              runtimes: {
                cli: {
                  cacheDir: path.join(dataDir, 'empty-cli-cache'),
                  sessionsDir: path.join(dataDir, 'sessions'),
                },
                claudeCode: { enabled: true },
              },
            },
          },
        }),
      ],
    });
    const capabilities = await request(server).get('/api/agents/capabilities');
    expect(capabilities.body.items).toEqual([
      expect.objectContaining({
        id: 'claude-code',
        capabilities: expect.objectContaining({ approvals: 'enforced' }),
      }),
    ]);
    await request(server)
      .post('/api/agents/apply')
      .send({
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentStack',
        metadata: { name: 'reviewer', namespace: 'acme' },
        spec: { runtime: 'claude-code', model: 'claude-sonnet-4-5' },
      })
      .expect(200);

    const stackPath =
      '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentstacks/reviewer';
    let stack = (await request(server).get(stackPath)).body;
    for (let i = 0; i < 100 && !stack.status?.readiness; i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
      stack = (await request(server).get(stackPath)).body;
    }
    expect(stack.status.readiness).toBe('Invalid');
    const unavailable = stack.status.conditions.find(
      (c: any) => c.reason === 'RuntimeUnavailable',
    );
    expect(unavailable.message).toContain('Claude Code CLI is not installed');
    expect(unavailable.message).toContain(
      `npm install --prefix ${path.join(dataDir, 'empty-cli-cache')}`,
    );

    const dispatched = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: 'reviewer', prompt: 'review' });
    expect(dispatched.status).toBe(409);
    expect(dispatched.body.error.message).toMatch(
      /^stack: AgentStack acme\/reviewer is Invalid .*RuntimeUnavailable/,
    );
  });
});
