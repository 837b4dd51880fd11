import { validateResource } from './validate';

const stack = () => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: {
    name: 'reviewer',
    namespace: 'acme',
    labels: { team: 'payments' },
  },
  spec: {
    runtime: 'scripted',
    model: 'claude-sonnet',
    runnerPolicy: { timeoutSeconds: 600 },
    approvalMode: 'policy',
  },
});

describe('validateResource', () => {
  it('accepts a valid AgentStack', () => {
    const result = validateResource(stack());
    expect(result.valid).toBe(true);
    expect(result.definition?.kind).toBe('AgentStack');
  });

  it('refuses a NUL character in a value or a key, at its path', () => {
    const inValue: any = stack();
    inValue.spec.mcpServers = ['github', 'jira\u0000'];
    expect(validateResource(inValue)).toMatchObject({
      valid: false,
      errors: [
        {
          path: 'spec.mcpServers[1]',
          message: 'must not contain NUL characters',
        },
      ],
    });
    const inKey: any = stack();
    inKey.metadata.labels['te\u0000am'] = 'x';
    expect(validateResource(inKey)).toMatchObject({
      valid: false,
      errors: [{ path: 'metadata.labels.te\u0000am' }],
    });
  });

  it('names every bad field by its path', () => {
    const doc: any = stack();
    doc.spec.runnerPolicy.timeoutSeconds = 0;
    doc.spec.approvalMode = 'sometimes';
    doc.spec.colour = 'blue';
    delete doc.spec.runtime;
    doc.metadata.name = 'Not_A_Name';

    const result = validateResource(doc);

    expect(result.valid).toBe(false);
    expect(!result.valid && result.errors).toEqual(
      expect.arrayContaining([
        { path: 'spec.runnerPolicy.timeoutSeconds', message: 'must be >= 1' },
        {
          path: 'spec.approvalMode',
          message: 'must be one of always, policy, never',
        },
        { path: 'spec.colour', message: 'is not a known field' },
        { path: 'spec.runtime', message: 'is required' },
        {
          path: 'metadata.name',
          message: expect.stringContaining('must match pattern'),
        },
      ]),
    );
  });

  it('points into arrays with an index', () => {
    const doc: any = stack();
    doc.spec.mcpServers = ['github', 'Bad Name'];
    const result = validateResource(doc);
    expect(!result.valid && result.errors).toEqual([
      {
        path: 'spec.mcpServers[1]',
        message: expect.stringContaining('must match pattern'),
      },
    ]);
  });

  it.each([
    [null, '', 'must be an object'],
    [[], '', 'must be an object'],
    [
      { ...stack(), apiVersion: 'v1' },
      'apiVersion',
      'must be agents.krate.dev/v1alpha1',
    ],
    [{ ...stack(), kind: 'Pod' }, 'kind', 'unknown kind "Pod"'],
  ])('rejects %p at %p', (doc, path, message) => {
    expect(validateResource(doc)).toMatchObject({
      valid: false,
      errors: [{ path, message }],
    });
  });
});

const meta = { name: 'example', namespace: 'acme' };
const resource = (kind: string, spec: object, status?: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: meta,
  spec,
  ...(status ? { status } : {}),
});

describe('validateResource on other kinds', () => {
  it('reports a bad network mode of a tool profile at its path', () => {
    const result = validateResource(
      resource('AgentToolProfile', {
        network: { mode: 'everything' },
        approvalRequired: ['write-back', 'deploy'],
      }),
    );
    expect(!result.valid && result.errors).toEqual([
      {
        path: 'spec.network.mode',
        message: 'must be one of none, allow-list, open',
      },
      {
        path: 'spec.approvalRequired[1]',
        message:
          'must be one of tool, network, secret, shell, write-back, rebase, release',
      },
    ]);
  });

  it('keeps Secret values out of grants', () => {
    const result = validateResource(
      resource('AgentSecretGrant', {
        secretName: 'github-mcp',
        keys: [],
        value: 'ghp_not-a-real-token',
        subjects: [{ kind: 'robot', name: 'github' }],
        purpose: 'MCP auth',
      }),
    );
    expect(!result.valid && result.errors).toEqual(
      expect.arrayContaining([
        { path: 'spec.value', message: 'is not a known field' },
        { path: 'spec.keys', message: 'must NOT have fewer than 1 items' },
        {
          path: 'spec.subjects[0].kind',
          message: expect.stringContaining('must be one of user'),
        },
      ]),
    );
  });

  it('accepts a workspace with git state and rejects impossible counts', () => {
    const workspace = resource(
      'AgentWorkspace',
      {
        repository: 'acme/checkout-web',
        ownership: { kind: 'issue', ref: '42' },
        trustTier: 'trusted',
      },
      {
        state: 'active',
        git: { branch: 'agents/42', ahead: 1, behind: 0, dirty: false },
      },
    );
    expect(validateResource(workspace).valid).toBe(true);

    (workspace as any).status.git.behind = -1;
    (workspace as any).spec.trustTier = 'friendly';
    expect(
      !validateResource(workspace).valid && validateResource(workspace),
    ).toMatchObject({
      errors: expect.arrayContaining([
        { path: 'status.git.behind', message: 'must be >= 0' },
        {
          path: 'spec.trustTier',
          message: 'must be one of trusted, untrusted, forked',
        },
      ]),
    });
  });

  it('requires the policy source of an approval and a sha256 digest on bundles', () => {
    expect(
      validateResource(
        resource('AgentApproval', {
          actionClass: 'shell',
          target: 'rm -rf /',
          requester: 'agent-default',
        }),
      ),
    ).toMatchObject({
      valid: false,
      errors: [{ path: 'spec.policySource', message: 'is required' }],
    });
    expect(
      validateResource(
        resource('AgentContextBundle', {
          run: 'run-1',
          parts: [],
          digest: 'md5:abc',
        }),
      ),
    ).toMatchObject({
      valid: false,
      errors: [
        {
          path: 'spec.digest',
          message: expect.stringContaining('must match pattern'),
        },
      ],
    });
  });
});
