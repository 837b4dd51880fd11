import { Config } from '@backstage/config';
import { agentKinds } from '@krate/plugin-agents-common';
import { KubernetesNamespaces } from './KubernetesNamespaces';
import { RunnerPool } from './RunnerPool';

/** Where the backend finds its cluster. */
export type ClusterSource =
  | { type: 'kubeconfig'; path?: string; context?: string }
  | { type: 'inCluster' }
  | {
      /** A cluster of the `kubernetes` block the Backstage Kubernetes plugin reads. */
      type: 'backstage';
      name: string;
      url: string;
      serviceAccountToken?: string;
      caData?: string;
      caFile?: string;
      skipTLSVerify: boolean;
    };

/** `agents.kubernetes`, read and checked. */
export interface KubernetesModeConfig {
  cluster: ClusterSource;
  namespaces: KubernetesNamespaces;
  /** The configuration kinds kept in the cluster; the rest stay in the database. */
  clusterKinds: string[];
  /** Whether AgentServiceAccounts, AgentRoleBindings and grants are projected to native RBAC. */
  rbacProjection: boolean;
  /** Whether an AgentRoleBinding may become a ClusterRoleBinding. */
  allowClusterScope: boolean;
  runnerPools: RunnerPool[];
}

const CONFIGURATION_KINDS = agentKinds
  .filter(k => k.category === 'configuration')
  .map(k => k.kind);

/** Reads `agents.kubernetes`; undefined when it is absent or `enabled: false` (embedded mode). */
export function readKubernetesModeConfig(
  config: Config,
): KubernetesModeConfig | undefined {
  const mode = config.getOptionalConfig('agents.kubernetes');
  if (!mode || mode.getOptionalBoolean('enabled') === false) return undefined;
  return {
    cluster: readCluster(mode, config),
    namespaces: readNamespaces(mode),
    clusterKinds: readClusterKinds(mode),
    rbacProjection: mode.getOptionalBoolean('rbacProjection') ?? true,
    allowClusterScope: mode.getOptionalBoolean('allowClusterScope') ?? false,
    runnerPools: (mode.getOptionalConfigArray('runnerPools') ?? []).map(pool =>
      readRunnerPool(pool, config),
    ),
  };
}

function readCluster(mode: Config, root: Config): ClusterSource {
  const cluster = mode.getOptionalConfig('cluster');
  const named = cluster?.getOptionalString('name');
  if (named) return backstageCluster(root, named);
  if (cluster?.getOptionalBoolean('inCluster')) return { type: 'inCluster' };
  return {
    type: 'kubeconfig',
    path: cluster?.getOptionalString('kubeconfig'),
    context: cluster?.getOptionalString('context'),
  };
}

/** The cluster named `name` in `kubernetes.clusterLocatorMethods[type=config].clusters`. */
function backstageCluster(root: Config, name: string): ClusterSource {
  const clusters = (
    root.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? []
  )
    .filter(method => method.getString('type') === 'config')
    .flatMap(method => method.getOptionalConfigArray('clusters') ?? []);
  const cluster = clusters.find(c => c.getString('name') === name);
  if (!cluster) {
    throw new Error(
      `agents.kubernetes.cluster.name: no cluster named '${name}' in kubernetes.clusterLocatorMethods (type: config)`,
    );
  }
  const authProvider = cluster.getOptionalString('authProvider');
  if (authProvider && authProvider !== 'serviceAccount') {
    throw new Error(
      `agents.kubernetes.cluster.name: cluster '${name}' uses authProvider '${authProvider}'; the agents backend acts as itself and needs 'serviceAccount' (or use agents.kubernetes.cluster.kubeconfig / inCluster)`,
    );
  }
  return {
    type: 'backstage',
    name,
    url: cluster.getString('url'),
    serviceAccountToken: cluster.getOptionalString('serviceAccountToken'),
    caData: cluster.getOptionalString('caData'),
    caFile: cluster.getOptionalString('caFile'),
    skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
  };
}

function readNamespaces(mode: Config): KubernetesNamespaces {
  const mapping: Record<string, string> = {};
  const seen = new Map<string, string>();
  const orgs = mode.getOptionalConfig('namespaces');
  for (const org of orgs?.keys() ?? []) {
    const namespace = orgs!.getString(org);
    const other = seen.get(namespace);
    if (other) {
      throw new Error(
        `agents.kubernetes.namespaces: orgs '${other}' and '${org}' both map to namespace '${namespace}'`,
      );
    }
    seen.set(namespace, org);
    mapping[org] = namespace;
  }
  return new KubernetesNamespaces(mapping);
}

function readClusterKinds(mode: Config): string[] {
  const kinds = mode.getOptionalStringArray('kinds') ?? CONFIGURATION_KINDS;
  for (const kind of kinds) {
    if (!CONFIGURATION_KINDS.includes(kind)) {
      throw new Error(
        `agents.kubernetes.kinds: '${kind}' is not a configuration kind; one of ${CONFIGURATION_KINDS.join(
          ', ',
        )}`,
      );
    }
  }
  return kinds;
}

function readRunnerPool(pool: Config, root: Config): RunnerPool {
  const kind = pool.getString('kind');
  if (kind !== 'pod') {
    throw new Error(
      `agents.kubernetes.runnerPools: pool '${pool.getString(
        'name',
      )}' has kind '${kind}'; the only kind is 'pod'`,
    );
  }
  const volume = pool.getConfig('workspaceVolume');
  const claim = volume.getOptionalString('persistentVolumeClaim');
  const hostPath = volume.getOptionalString('hostPath');
  if (Boolean(claim) === Boolean(hostPath)) {
    throw new Error(
      `agents.kubernetes.runnerPools: pool '${pool.getString(
        'name',
      )}' needs exactly one of workspaceVolume.persistentVolumeClaim and workspaceVolume.hostPath`,
    );
  }
  return {
    name: pool.getString('name'),
    kind,
    namespace: pool.getString('namespace'),
    image: pool.getString('image'),
    command: pool.getOptionalStringArray('command') ?? ['krate-agent-runner'],
    resources: pool.getOptional('resources'),
    workspaceVolume: {
      path: volume.getString('path'),
      ...(claim ? { persistentVolumeClaim: claim } : {}),
      ...(hostPath ? { hostPath } : {}),
    },
    terminationGracePeriodSeconds:
      pool.getOptionalNumber('terminationGracePeriodSeconds') ?? 10,
    imagePullSecrets: pool.getOptionalStringArray('imagePullSecrets') ?? [],
    backendUrl:
      pool.getOptionalString('backendUrl') ??
      root.getOptionalString('backend.baseUrl') ??
      'http://localhost:7007',
  };
}
