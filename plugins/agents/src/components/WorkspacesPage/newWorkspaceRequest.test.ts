import {
  describeNewWorkspace,
  emptyNewWorkspaceForm,
  missingFields,
  newWorkspaceRequest,
} from './newWorkspaceRequest';

const form = {
  ...emptyNewWorkspaceForm('acme'),
  name: 'ws-9',
  repository: ' acme/payments-api ',
  ownerKind: 'issue' as const,
  ownerRef: '42',
  trustTier: 'trusted' as const,
  ref: 'main',
  path: '/data/workspaces/acme/old',
};

describe('newWorkspaceRequest', () => {
  it('sends the provision parameters, trimmed, without empty ones', () => {
    expect(newWorkspaceRequest('provision', form)).toEqual({
      namespace: 'acme',
      action: 'provision',
      repository: 'acme/payments-api',
      trustTier: 'trusted',
      ownership: { kind: 'issue', ref: '42' },
      ref: 'main',
    });
  });

  it('sends the path, not the provision parameters, to link an existing worktree', () => {
    expect(
      newWorkspaceRequest('link-existing', { ...form, ownerRef: '' }),
    ).toEqual({
      namespace: 'acme',
      action: 'link-existing',
      repository: 'acme/payments-api',
      trustTier: 'trusted',
      ownership: { kind: 'issue' },
      path: '/data/workspaces/acme/old',
    });
  });

  it('names the required fields still empty', () => {
    expect(missingFields('provision', emptyNewWorkspaceForm())).toEqual([
      'namespace',
      'name',
      'repository',
    ]);
    expect(missingFields('link-existing', { ...form, path: ' ' })).toEqual([
      'path',
    ]);
  });

  it('says what will happen to which resource', () => {
    expect(describeNewWorkspace('provision', form)).toMatch(
      /^Creates AgentWorkspace acme\/ws-9 and a new git worktree of acme\/payments-api: branch the policy's branch template \(default agents\/ws-9\) from main/,
    );
    expect(describeNewWorkspace('link-existing', form)).toBe(
      'Creates AgentWorkspace acme/ws-9 for the existing worktree at /data/workspaces/acme/old; nothing on disk changes.',
    );
  });
});
