import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import {
  applyObjects,
  dispatchConfig,
  gatedShellProfile,
  waitForRun,
} from '../__testUtils__/dispatchTestKit';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';

jest.setTimeout(60_000);

describe('GET /runs/:run/actions', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-run-actions-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function backend(denied: string[] = []) {
    const permissions = permissionsDenying(name => denied.includes(name));
    const started = await startTestBackend({
      features: [
        agentsPlugin,
        agentsModuleScriptedRuntime,
        permissions.factory,
        mockServices.rootConfig.factory({
          data: { agents: dispatchConfig(dataDir) },
        }),
      ],
    });
    await applyObjects(started.server, gatedShellProfile, {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentStack',
      metadata: { name: 'gated', namespace: 'acme' },
      spec: {
        runtime: 'scripted',
        toolProfile: 'gated',
        script: { steps: [{ shell: 'echo hi' }] },
      },
    });
    return started;
  }

  async function waitingRun(server: any) {
    const { body } = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: 'gated', prompt: 'say hi' });
    const name = body.metadata.name;
    await waitForRun(server, name, run => run.status?.phase === 'Waiting');
    return name;
  }

  const actionsOf = async (server: any, name: string) =>
    (await request(server).get(`/api/agents/runs/${name}/actions`)).body.items;

  it('says which actions the run allows now, with the reason the action route would refuse with', async () => {
    const started = await backend();
    const { server } = started;
    const name = await waitingRun(server);

    const waiting = await actionsOf(server, name);
    expect(waiting.map((a: any) => [a.action, a.allowed])).toEqual([
      ['cancel', true],
      ['retry', false],
      ['resume', false],
      ['fork', false],
      ['continue', false],
    ]);
    const retry = waiting.find((a: any) => a.action === 'retry');
    const refused = await request(server).post(
      `/api/agents/runs/${name}/retry`,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(retry.reason);
    expect(retry).toMatchObject({ permission: 'agents.run.retry' });

    expect(
      (await request(server).post(`/api/agents/runs/${name}/cancel`)).status,
    ).toBe(200);
    const cancelled = await actionsOf(server, name);
    expect(cancelled.find((a: any) => a.action === 'cancel')).toEqual({
      action: 'cancel',
      permission: 'agents.run.cancel',
      allowed: false,
      reason: `AgentDispatchRun acme/${name} is already Cancelled; there is nothing to cancel`,
    });
    expect(cancelled.find((a: any) => a.action === 'retry')).toEqual({
      action: 'retry',
      permission: 'agents.run.retry',
      allowed: true,
    });
    await started.stop();
  });

  it('refuses what the caller lacks the permission for, naming it', async () => {
    const started = await backend(['agents.run.cancel']);
    const name = await waitingRun(started.server);
    const actions = await actionsOf(started.server, name);
    expect(actions.find((a: any) => a.action === 'cancel')).toEqual({
      action: 'cancel',
      permission: 'agents.run.cancel',
      allowed: false,
      reason: 'You may not cancel this run (agents.run.cancel)',
    });
    expect(
      (await request(started.server).get('/api/agents/runs/nope/actions'))
        .status,
    ).toBe(404);
    await started.stop();
  });
});
