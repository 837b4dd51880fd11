export { KubernetesSecretSource } from './KubernetesSecretSource';
export type { KubernetesSecretSourceOptions } from './KubernetesSecretSource';
