import { validateResource } from './validate';

const stack = () => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name: 'reviewer', namespace: 'acme', labels: { team: 'payments' } },
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
        { path: 'spec.approvalMode', message: 'must be one of always, policy, never' },
        { path: 'spec.colour', message: 'is not a known field' },
        { path: 'spec.runtime', message: 'is required' },
        { path: 'metadata.name', message: expect.stringContaining('must match pattern') },
      ]),
    );
  });

  it('points into arrays with an index', () => {
    const doc: any = stack();
    doc.spec.mcpServers = ['github', 'Bad Name'];
    const result = validateResource(doc);
    expect(!result.valid && result.errors).toEqual([
      { path: 'spec.mcpServers[1]', message: expect.stringContaining('must match pattern') },
    ]);
  });

  it.each([
    [null, '', 'must be an object'],
    [[], '', 'must be an object'],
    [{ ...stack(), apiVersion: 'v1' }, 'apiVersion', 'must be agents.krate.dev/v1alpha1'],
    [{ ...stack(), kind: 'Pod' }, 'kind', 'unknown kind "Pod"'],
  ])('rejects %p at %p', (doc, path, message) => {
    expect(validateResource(doc)).toMatchObject({ valid: false, errors: [{ path, message }] });
  });
});
