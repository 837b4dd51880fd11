import { KubeConfig } from '@kubernetes/client-node';
import { ClusterSource } from './KubernetesModeConfig';

/** A client-node KubeConfig for the configured cluster. */
export function clusterKubeConfig(source: ClusterSource): KubeConfig {
  const kubeConfig = new KubeConfig();
  switch (source.type) {
    case 'inCluster':
      kubeConfig.loadFromCluster();
      break;
    case 'kubeconfig':
      if (source.path) kubeConfig.loadFromFile(source.path);
      else kubeConfig.loadFromDefault();
      if (source.context) kubeConfig.setCurrentContext(source.context);
      break;
    case 'backstage':
      kubeConfig.loadFromOptions({
        clusters: [
          {
            name: source.name,
            server: source.url,
            caData: source.caData,
            caFile: source.caFile,
            skipTLSVerify: source.skipTLSVerify,
          },
        ],
        users: [{ name: 'krate-agents', token: source.serviceAccountToken }],
        contexts: [
          { name: source.name, cluster: source.name, user: 'krate-agents' },
        ],
        currentContext: source.name,
      });
      break;
    default:
      throw new Error(`Unknown cluster source ${(source as any).type}`);
  }
  return kubeConfig;
}
