export { startKubernetesDouble } from './startKubernetesDouble';
export type {
  KubernetesDouble,
  KubernetesDoubleOptions,
} from './startKubernetesDouble';
export { kubectlPath, runKubectl } from './kubectl';
export type { KubectlResult } from './kubectl';
