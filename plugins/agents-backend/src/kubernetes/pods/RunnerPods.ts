import { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { PodRef } from './podNames';

/** Whether a client-node call failed with HTTP `status`. */
export function isStatus(error: unknown, status: number): boolean {
  return (error as { code?: unknown })?.code === status;
}

/** The few pod calls the runner makes, with "not found" as undefined. */
export class RunnerPods {
  constructor(readonly core: CoreV1Api) {}

  async read(ref: PodRef): Promise<V1Pod | undefined> {
    try {
      return await this.core.readNamespacedPod(ref);
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** Deletes the pod (no-op when it is gone) with `gracePeriodSeconds` to stop. */
  async delete(ref: PodRef, gracePeriodSeconds: number): Promise<void> {
    try {
      await this.core.deleteNamespacedPod({ ...ref, gracePeriodSeconds });
    } catch (error) {
      if (!isStatus(error, 404)) throw error;
    }
  }
}

/** The API server's message of a failed call, without client-node's headers dump. */
export function apiErrorMessage(error: unknown): string {
  const { code, body, message } = error as {
    code?: number;
    body?: unknown;
    message?: string;
  };
  let status: { message?: string } | undefined;
  try {
    status = typeof body === 'string' ? JSON.parse(body) : (body as any);
  } catch {
    status = undefined;
  }
  if (code && status?.message) return `${code} ${status.message}`;
  return String(message ?? error).split('\n')[0];
}
