import { MockFetchApi } from '@backstage/test-utils';
import { AgentsClient } from './AgentsClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend.test/api/${pluginId}`,
};

function clientFor(response: Response) {
  const calls: string[] = [];
  const inits: (RequestInit | undefined)[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: async (input: any, init?: RequestInit) => {
      calls.push(String(input));
      inits.push(init);
      return response;
    },
  });
  return { client: new AgentsClient({ discoveryApi, fetchApi }), calls, inits };
}

const json = (body: unknown) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

describe('AgentsClient', () => {
  it('reads the health of the agents backend', async () => {
    const health = {
      status: 'ok',
      version: '1.2.3',
      storage: { dialect: 'sqlite' },
    };
    const { client, calls } = clientFor(
      new Response(JSON.stringify(health), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
    );

    await expect(client.getHealth()).resolves.toEqual(health);
    expect(calls).toEqual(['http://backend.test/api/agents/health']);
  });

  it('throws a ResponseError carrying the backend error', async () => {
    const { client } = clientFor(
      new Response(
        JSON.stringify({
          error: { name: 'Error', message: 'database is down' },
          request: { method: 'GET', url: '/api/agents/health' },
          response: { statusCode: 503 },
        }),
        {
          status: 503,
          statusText: 'Service Unavailable',
          headers: { 'content-type': 'application/json' },
        },
      ),
    );

    await expect(client.getHealth()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 503,
      body: { error: { message: 'database is down' } },
    });
  });

  it('lists a kind in one org through the Kubernetes-style route', async () => {
    const { client, calls } = clientFor(
      json({ items: [], metadata: { resourceVersion: '1' } }),
    );
    await client.listResources('agentstacks', {
      namespace: 'acme',
      limit: 500,
    });
    expect(calls).toEqual([
      'http://backend.test/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentstacks?limit=500',
    ]);
  });

  it('patches one object with a JSON merge patch', async () => {
    const { client, calls, inits } = clientFor(
      json({ kind: 'AgentTriggerRule' }),
    );
    await client.patchResource('agenttriggerrules', 'acme', 'ready', {
      spec: { lifecycle: 'paused' },
    });
    expect(calls).toEqual([
      'http://backend.test/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agenttriggerrules/ready',
    ]);
    expect(inits[0]).toMatchObject({
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { lifecycle: 'paused' } }),
    });
  });

  it('applies documents as a JSON List, with dryRun=All for previews', async () => {
    const { client, calls, inits } = clientFor(
      json({ dryRun: true, items: [] }),
    );
    const doc = {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentStack',
      metadata: { name: 'a', namespace: 'acme' },
      spec: { runtime: 'scripted' },
    };
    await client.apply([doc], { dryRun: true });
    expect(calls).toEqual(['http://backend.test/api/agents/apply?dryRun=All']);
    expect(inits[0]?.method).toBe('POST');
    expect(JSON.parse(String(inits[0]?.body))).toEqual({
      kind: 'List',
      items: [doc],
    });
  });
});

describe('AgentsClient runs and approvals', () => {
  it('lists runs with only the filters that are set', async () => {
    const { client, calls } = clientFor(
      json({ items: [], resourceVersion: '3' }),
    );
    await client.listRuns({
      namespace: 'acme',
      phase: 'Running',
      repository: '',
      continue: 'tok',
    });
    expect(calls).toEqual([
      'http://backend.test/api/agents/runs?namespace=acme&phase=Running&continue=tok',
    ]);
  });

  it('posts a continue with its prompt and the run namespace', async () => {
    const { client, calls, inits } = clientFor(json({ kind: 'run' }));
    await client.runAction('run-1', 'continue', {
      namespace: 'acme',
      prompt: 'also add a test',
    });
    expect(calls).toEqual([
      'http://backend.test/api/agents/runs/run-1/continue?namespace=acme',
    ]);
    expect(inits[0]?.method).toBe('POST');
    expect(JSON.parse(String(inits[0]?.body))).toEqual({
      prompt: 'also add a test',
    });
  });

  it('decides an approval', async () => {
    const { client, calls, inits } = clientFor(json({}));
    await client.decideApproval(
      'ap-1',
      { decision: 'reject', reason: 'not now' },
      { namespace: 'acme' },
    );
    expect(calls).toEqual([
      'http://backend.test/api/agents/approvals/ap-1/decision?namespace=acme',
    ]);
    expect(JSON.parse(String(inits[0]?.body))).toEqual({
      decision: 'reject',
      reason: 'not now',
    });
  });

  it('lists attempts of a run by label selector', async () => {
    const { client, calls } = clientFor(json({ items: [], metadata: {} }));
    await client.listResources('agentdispatchattempts', {
      namespace: 'acme',
      labelSelector: 'agents.krate.dev/run=run-1',
    });
    expect(calls).toEqual([
      'http://backend.test/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentdispatchattempts?labelSelector=agents.krate.dev%2Frun%3Drun-1',
    ]);
  });

  it('keeps the server reason of a refused action', async () => {
    const { client } = clientFor(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message: 'AgentDispatchRun acme/r is Waiting: cancel it first',
          },
          response: { statusCode: 409 },
        }),
        { status: 409, headers: { 'content-type': 'application/json' } },
      ),
    );
    await expect(client.runAction('r', 'retry')).rejects.toMatchObject({
      statusCode: 409,
      body: {
        error: {
          message: 'AgentDispatchRun acme/r is Waiting: cancel it first',
        },
      },
    });
  });
  it('lists the workspaces of one repository', async () => {
    const { client, calls } = clientFor(
      json({ items: [], resourceVersion: '1' }),
    );
    await client.listWorkspaces({
      namespace: 'acme',
      repository: 'acme/payments-api',
      state: 'missing',
    });
    expect(calls).toEqual([
      'http://backend.test/api/agents/workspaces?namespace=acme&repository=acme%2Fpayments-api&state=missing',
    ]);
  });

  it('posts a workspace action with its parameters', async () => {
    const answer = {
      action: { action: 'notes-save', result: 'succeeded' },
      status: { state: 'active' },
    };
    const { client, calls, inits } = clientFor(json(answer));
    await expect(
      client.workspaceAction('ws 1', {
        namespace: 'acme',
        action: 'notes-save',
        notes: 'hi',
      }),
    ).resolves.toEqual(answer);
    expect(calls).toEqual([
      'http://backend.test/api/agents/workspaces/ws%201/action',
    ]);
    expect(inits[0]?.method).toBe('POST');
    expect(JSON.parse(String(inits[0]?.body))).toEqual({
      namespace: 'acme',
      action: 'notes-save',
      notes: 'hi',
    });
  });

  it('reads which actions a run and a workspace allow', async () => {
    const answer = {
      items: [
        {
          action: 'cancel',
          permission: 'agents.run.cancel',
          allowed: false,
          reason: 'AgentDispatchRun acme/run-1 is already Succeeded',
        },
      ],
    };
    const runs = clientFor(json(answer));
    await expect(
      runs.client.getRunActions('run-1', { namespace: 'acme' }),
    ).resolves.toEqual(answer);
    expect(runs.calls).toEqual([
      'http://backend.test/api/agents/runs/run-1/actions?namespace=acme',
    ]);
    const workspaces = clientFor(json({ items: [] }));
    await workspaces.client.getWorkspaceActions('acme', 'ws 1');
    expect(workspaces.calls).toEqual([
      'http://backend.test/api/agents/workspaces/ws%201/actions?namespace=acme',
    ]);
  });
});

describe('AgentsClient trigger rules', () => {
  it('lists rules with only the filters that are set', async () => {
    const { client, calls } = clientFor(
      json({ items: [], resourceVersion: '4' }),
    );
    await expect(
      client.listRules({ namespace: 'acme', limit: 500, continue: '' }),
    ).resolves.toEqual({ items: [], resourceVersion: '4' });
    expect(calls).toEqual([
      'http://backend.test/api/agents/rules?namespace=acme&limit=500',
    ]);
  });

  it('posts a dry-run of a rule with its org and the sample as the body', async () => {
    const answer = { outcome: 'not-matched', matched: false, conditions: [] };
    const { client, calls, inits } = clientFor(json(answer));
    const request = {
      source: 'label' as const,
      repository: 'acme/checkout-web',
      event: { label: { name: 'agent:ready' } },
    };
    await expect(
      client.dryRunRule('checkout agent', 'acme', request),
    ).resolves.toEqual(answer);
    expect(calls).toEqual([
      'http://backend.test/api/agents/rules/checkout%20agent/dry-run?namespace=acme',
    ]);
    expect(inits[0]?.method).toBe('POST');
    expect(inits[0]?.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(String(inits[0]?.body))).toEqual(request);
  });

  it('keeps the field path of a refused dry-run', async () => {
    const { client } = clientFor(
      new Response(
        JSON.stringify({
          error: {
            name: 'InputError',
            message: 'event: must be a JSON object',
          },
          response: { statusCode: 400 },
        }),
        { status: 400, headers: { 'content-type': 'application/json' } },
      ),
    );
    await expect(
      client.dryRunRule('r', 'acme', { source: 'push', event: {} }),
    ).rejects.toMatchObject({
      statusCode: 400,
      body: { error: { message: 'event: must be a JSON object' } },
    });
  });
});

describe('AgentsClient webhook deliveries', () => {
  it('lists deliveries with only the filters that are set', async () => {
    const { client, calls } = clientFor(
      json({ items: [], continue: 'next', resourceVersion: '5' }),
    );
    await expect(
      client.listDeliveries({
        namespace: 'acme',
        phase: 'failed',
        limit: 25,
        continue: '',
      }),
    ).resolves.toEqual({ items: [], continue: 'next', resourceVersion: '5' });
    expect(calls).toEqual([
      'http://backend.test/api/agents/deliveries?namespace=acme&phase=failed&limit=25',
    ]);
  });

  it('posts a replay of a delivery in its org with an empty body', async () => {
    const created = {
      kind: 'WebhookDelivery',
      metadata: { name: 'github-2', namespace: 'acme' },
      spec: { replayOf: 'github 1' },
      status: { state: 'received' },
    };
    const { client, calls, inits } = clientFor(
      new Response(JSON.stringify(created), {
        status: 202,
        headers: { 'content-type': 'application/json' },
      }),
    );
    await expect(client.replayDelivery('github 1', 'acme')).resolves.toEqual(
      created,
    );
    expect(calls).toEqual([
      'http://backend.test/api/agents/deliveries/github%201/replay?namespace=acme',
    ]);
    expect(inits[0]?.method).toBe('POST');
    expect(inits[0]?.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(String(inits[0]?.body))).toEqual({});
  });

  it('keeps the server message when the payload is no longer kept', async () => {
    const message =
      'WebhookDelivery acme/github-1: the payload is no longer kept (7 days)';
    const { client } = clientFor(
      new Response(
        JSON.stringify({
          error: { name: 'ConflictError', message },
          response: { statusCode: 409 },
        }),
        { status: 409, headers: { 'content-type': 'application/json' } },
      ),
    );
    await expect(
      client.replayDelivery('github-1', 'acme'),
    ).rejects.toMatchObject({
      statusCode: 409,
      body: { error: { message } },
    });
  });
});

describe('AgentsClient artifacts and write-backs', () => {
  function clientAnswering(answer: () => Response) {
    const calls: string[] = [];
    const inits: (RequestInit | undefined)[] = [];
    const fetchApi = new MockFetchApi({
      baseImplementation: async (input: any, init?: RequestInit) => {
        calls.push(String(input));
        inits.push(init);
        return answer();
      },
    });
    return {
      client: new AgentsClient({ discoveryApi, fetchApi }),
      calls,
      inits,
    };
  }

  it('reads a run’s artifacts, their content, targets and write-backs in the org', async () => {
    const { client, calls } = clientAnswering(() => json({ items: [] }));
    await client.listArtifacts('acme', 'run 1');
    await client.listWriteBackTargets('acme', 'run-1-1-fix');
    await client.listWriteBacks('acme', 'run-1-1-fix');
    expect(calls).toEqual([
      'http://backend.test/api/agents/artifacts?run=run+1&namespace=acme',
      'http://backend.test/api/agents/artifacts/run-1-1-fix/targets?namespace=acme',
      'http://backend.test/api/agents/artifacts/run-1-1-fix/write-backs?namespace=acme',
    ]);
  });

  it('reads the audit trail of an object and verifies an org chain', async () => {
    const { client, calls } = clientAnswering(() => json({ items: [] }));
    await client.listAuditRecords(
      { kind: 'AgentDispatchRun', namespace: 'acme', name: 'run 1' },
      { limit: 20 },
    );
    await client.verifyAuditChain('acme');
    expect(calls).toEqual([
      'http://backend.test/api/agents/audit?kind=AgentDispatchRun&namespace=acme&name=run+1&limit=20',
      'http://backend.test/api/agents/audit/verify?org=acme',
    ]);
  });

  it('reads an artifact’s content as text', async () => {
    const diff = 'diff --git a/x b/x\n';
    const { client, calls, inits } = clientAnswering(
      () =>
        new Response(diff, {
          status: 200,
          headers: { 'content-type': 'text/plain' },
        }),
    );
    await expect(
      client.getArtifactContent('acme', 'run-1-1-fix'),
    ).resolves.toBe(diff);
    expect(calls).toEqual([
      'http://backend.test/api/agents/artifacts/run-1-1-fix/content?namespace=acme',
    ]);
    expect(inits[0]?.headers).toEqual({ accept: 'text/plain' });
  });

  it('posts a write-back request and a collect', async () => {
    const { client, calls, inits } = clientAnswering(() =>
      json({ writeBack: { key: 'wb-1' }, approval: 'ap-1', items: [] }),
    );
    const body = {
      target: 'github',
      operation: 'pull-request' as const,
      branch: 'agents/run-1',
      title: 'Fix',
    };
    await expect(
      client.requestWriteBack('acme', 'run-1-1-fix', body),
    ).resolves.toMatchObject({ approval: 'ap-1' });
    await client.collectArtifacts('acme', 'run-1');
    expect(calls).toEqual([
      'http://backend.test/api/agents/artifacts/run-1-1-fix/write-back?namespace=acme',
      'http://backend.test/api/agents/runs/run-1/artifacts/collect?namespace=acme',
    ]);
    expect(inits.map(i => i?.method)).toEqual(['POST', 'POST']);
    expect(JSON.parse(String(inits[0]?.body))).toEqual(body);
    expect(JSON.parse(String(inits[1]?.body))).toEqual({});
  });

  it('keeps the server’s reason when a write-back is refused', async () => {
    const message =
      'AgentReviewArtifact acme/run-1-1-fix was superseded by run-1-1-fix-2';
    const { client } = clientAnswering(
      () =>
        new Response(
          JSON.stringify({
            error: { name: 'ConflictError', message },
            response: { statusCode: 409 },
          }),
          { status: 409, headers: { 'content-type': 'application/json' } },
        ),
    );
    await expect(
      client.requestWriteBack('acme', 'run-1-1-fix', {
        target: 'git',
        operation: 'branch',
        branch: 'agents/run-1',
      }),
    ).rejects.toMatchObject({ statusCode: 409, body: { error: { message } } });
  });
});
