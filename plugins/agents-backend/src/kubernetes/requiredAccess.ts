import { findKind } from '@krate/plugin-agents-common';
import { KubernetesModeConfig } from './KubernetesModeConfig';

/** One thing the backend's identity must be allowed to do in the cluster. */
export interface RequiredAccess {
  group: string;
  resource: string;
  subresource?: string;
  verb: string;
  /** Unset: in every namespace. */
  namespace?: string;
  /** e.g. `watch agentstacks.agents.krate.dev` */
  describe: string;
}

const GROUP = 'agents.krate.dev';

/** What Kubernetes mode needs of the backend's identity, for the configured kinds and pools. */
export function requiredAccess(mode: KubernetesModeConfig): RequiredAccess[] {
  const needs: RequiredAccess[] = [];
  const add = (
    group: string,
    resource: string,
    verbs: string[],
    extra: { subresource?: string; namespace?: string } = {},
  ) => {
    for (const verb of verbs) {
      const name = `${
        extra.subresource ? `${resource}/${extra.subresource}` : resource
      }${group ? `.${group}` : ''}`;
      needs.push({
        group,
        resource,
        verb,
        ...extra,
        describe: `${verb} ${name}${
          extra.namespace ? ` in namespace ${extra.namespace}` : ''
        }`,
      });
    }
  };
  for (const kind of mode.clusterKinds) {
    const plural = findKind(kind)!.plural;
    add(GROUP, plural, ['get', 'list', 'watch', 'create', 'update', 'delete']);
    add(GROUP, plural, ['update'], { subresource: 'status' });
  }
  if (mode.rbacProjection) {
    add('', 'serviceaccounts', ['list', 'create', 'update', 'delete']);
    for (const resource of ['roles', 'rolebindings']) {
      add('rbac.authorization.k8s.io', resource, [
        'list',
        'create',
        'update',
        'delete',
      ]);
    }
  }
  for (const pool of mode.runnerPools) {
    const namespace = pool.namespace;
    add('', 'pods', ['get', 'list', 'watch', 'create', 'delete'], {
      namespace,
    });
    add('', 'pods', ['get'], { subresource: 'log', namespace });
    add('', 'configmaps', ['create', 'delete'], { namespace });
    // The attempt's Secret: the runner's credential and the granted values.
    add('', 'secrets', ['create', 'get', 'delete'], { namespace });
  }
  return needs;
}
