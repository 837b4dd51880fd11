import {
  TRUST_TIERS,
  WORKSPACE_OWNER_KINDS,
} from '@krate/plugin-agents-common';
import { WorkspaceActionRequest } from '../../api';

/** The actions that create a workspace record. */
export type NewWorkspaceAction = 'provision' | 'link-existing';

/** What the provision and link dialogs ask for; empty strings are left out of the request. */
export interface NewWorkspaceForm {
  namespace: string;
  name: string;
  repository: string;
  ownerKind: (typeof WORKSPACE_OWNER_KINDS)[number];
  ownerRef: string;
  trustTier: (typeof TRUST_TIERS)[number];
  /** provision: the ref to branch from, the branch, and where the repository is on the host. */
  ref: string;
  branch: string;
  repositoryPath: string;
  /** link-existing: the worktree to link. */
  path: string;
}

export const emptyNewWorkspaceForm = (namespace = ''): NewWorkspaceForm => ({
  namespace,
  name: '',
  repository: '',
  ownerKind: 'manual',
  ownerRef: '',
  trustTier: 'untrusted',
  ref: '',
  branch: '',
  repositoryPath: '',
  path: '',
});

const defined = (values: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(values)
      .map(([key, value]) => [key, value.trim()])
      .filter(([, value]) => value !== ''),
  );

/** The body of `POST /workspaces/:name/action`, with the parameters docs/workspaces.md lists. */
export function newWorkspaceRequest(
  action: NewWorkspaceAction,
  form: NewWorkspaceForm,
): WorkspaceActionRequest {
  const ownerRef = form.ownerRef.trim();
  return {
    namespace: form.namespace.trim(),
    action,
    ...defined({ repository: form.repository }),
    trustTier: form.trustTier,
    ownership: { kind: form.ownerKind, ...(ownerRef ? { ref: ownerRef } : {}) },
    ...(action === 'provision'
      ? defined({
          ref: form.ref,
          branch: form.branch,
          repositoryPath: form.repositoryPath,
        })
      : defined({ path: form.path })),
  };
}

/** The fields the server requires that are still empty. */
export function missingFields(
  action: NewWorkspaceAction,
  form: NewWorkspaceForm,
): (keyof NewWorkspaceForm)[] {
  const required: (keyof NewWorkspaceForm)[] = [
    'namespace',
    'name',
    'repository',
    ...(action === 'link-existing' ? (['path'] as const) : []),
  ];
  return required.filter(field => !String(form[field]).trim());
}

/** What the action will do, in words, before it is sent. */
export function describeNewWorkspace(
  action: NewWorkspaceAction,
  form: NewWorkspaceForm,
): string {
  const target = `AgentWorkspace ${form.namespace.trim() || '<org>'}/${
    form.name.trim() || '<name>'
  }`;
  if (action === 'link-existing') {
    return `Creates ${target} for the existing worktree at ${
      form.path.trim() || '<path>'
    }; nothing on disk changes.`;
  }
  const branch =
    form.branch.trim() ||
    `the policy's branch template (default agents/${
      form.name.trim() || '<name>'
    })`;
  return `Creates ${target} and a new git worktree of ${
    form.repository.trim() || '<repository>'
  }: branch ${branch} from ${
    form.ref.trim() || 'HEAD'
  }, under the workspace root. The trust tier may be lowered to what the ref deserves.`;
}
