import { LoggerService } from '@backstage/backend-plugin-api';
import { KubeConfig } from '@kubernetes/client-node';
import {
  ChangeFeedLoop,
  ChangeFeedTiming,
} from '../../controllers/ChangeFeedLoop';
import { ResourceStore } from '../../resources/ResourceStore';
import { KubernetesNamespaces } from '../KubernetesNamespaces';
import { NativeRbacClient } from './NativeRbacClient';
import { PROJECTED_KINDS } from './projectionLabels';
import { RbacProjectionReconciler } from './RbacProjectionReconciler';

/** The actor of the controller's status writes in the audit trail. */
export const RBAC_PROJECTION_ACTOR = 'agents:rbac-projection';

export interface RbacProjectionControllerOptions extends ChangeFeedTiming {
  store: ResourceStore;
  /** The backend's own access to the cluster: it writes ServiceAccounts, Roles and bindings. */
  kubeConfig: KubeConfig;
  namespaces: KubernetesNamespaces;
  logger: LoggerService;
  /** Whether AgentRoleBindings may become ClusterRoleBindings; default false. */
  allowClusterScope?: boolean;
  /**
   * Time between full passes, which notice native objects edited or deleted in the cluster and
   * grants that expired; default 60 s.
   */
  resyncMs?: number;
}

/**
 * Projects AgentServiceAccounts, AgentRoleBindings, AgentSecretGrants and AgentConfigGrants to
 * native ServiceAccounts, Roles and RoleBindings, and reports on each object whether it is
 * projected (`Projected`) and whether the cluster still matches (`InSync`). Native RBAC is
 * authoritative: objects Krate does not own are never written, and a hand edit of an owned
 * object is shown, not reverted, until the Krate object changes.
 */
export class RbacProjectionController extends ChangeFeedLoop {
  constructor(options: RbacProjectionControllerOptions) {
    super({
      ...options,
      name: 'RBAC projection controller',
      kinds: PROJECTED_KINDS,
      reconciler: new RbacProjectionReconciler({
        store: options.store,
        client: new NativeRbacClient(options.kubeConfig),
        namespaces: options.namespaces,
        logger: options.logger,
        actor: RBAC_PROJECTION_ACTOR,
        allowClusterScope: options.allowClusterScope,
      }),
      resyncMs: options.resyncMs ?? 60_000,
    });
  }
}
