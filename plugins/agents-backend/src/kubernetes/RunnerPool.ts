/**
 * A runner pool of kind `pod` (`agents.kubernetes.runnerPools[]`): attempts of stacks whose
 * `runnerPolicy.pool` names it run as Pods in the cluster instead of on the backend's host.
 */
export interface RunnerPool {
  name: string;
  kind: 'pod';
  /** Cluster namespace the pods run in. */
  namespace: string;
  image: string;
  /** The container's command; default the image's `krate-agent-runner` entry point. */
  command: string[];
  /** Container resources as Kubernetes takes them, e.g. `{ limits: { cpu: '2' } }`. */
  resources?: {
    requests?: Record<string, string>;
    limits?: Record<string, string>;
  };
  /**
   * How the pod reaches the attempt's working directory: the volume that holds the backend's
   * folder `path` (a ReadWriteMany claim, or a host path on single-node clusters), mounted in the
   * pod at that same path. Attempts working outside `path` cannot run in this pool.
   */
  workspaceVolume: {
    path: string;
    persistentVolumeClaim?: string;
    hostPath?: string;
  };
  /** Seconds a cancelled pod gets to stop before it is killed; default 10. */
  terminationGracePeriodSeconds: number;
  imagePullSecrets: string[];
  /**
   * The backend's base URL as the pods reach it (default `backend.baseUrl`): the in-pod runner
   * reads the decisions of its attempt's approvals there.
   */
  backendUrl: string;
}
