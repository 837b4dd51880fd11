import { LaunchProfile } from '@krate/plugin-agents-node';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordingHost } from '../../../__testUtils__/recordingHost';
import { ScriptedRuntime } from '../../../runtimes/scripted';
import { ResourceStore } from '../../../resources/ResourceStore';
import { RunnerPool } from '../../RunnerPool';
import { PodPlacement } from '../PodPlacement';
import { RepositoryComponents } from '../repositoryComponents';
import { testProfile } from '../../../__testUtils__/testDispatchEngine';
import { RUNNER_COMMAND } from './runnerCommand';

/** The cluster namespace the test pools run their pods in. */
export const POD_NAMESPACE = 'agents-runners';

/** A pod pool whose workspace volume is the host folder `root`, running the in-pod runner. */
export function testPool(
  root: string,
  overrides: Partial<RunnerPool> = {},
): RunnerPool {
  return {
    name: 'linux',
    kind: 'pod',
    namespace: POD_NAMESPACE,
    image: 'ghcr.io/krate/agent-runner:test',
    command: RUNNER_COMMAND,
    resources: { limits: { cpu: '1', memory: '1Gi' } },
    workspaceVolume: { path: root, hostPath: root },
    terminationGracePeriodSeconds: 2,
    imagePullSecrets: ['registry'],
    // Nothing listens there: tests of approvals start the decisions route and name its URL.
    backendUrl: 'http://127.0.0.1:9',
    ...overrides,
  };
}

/** Pod placement on the double with quick polling. */
export function testPlacement(options: {
  kubeConfig: KubeConfig;
  store: ResourceStore;
  pools: RunnerPool[];
  components?: RepositoryComponents;
}) {
  return new PodPlacement({
    ...options,
    logger: mockServices.logger.mock(),
    timing: {
      pollMs: 100,
      checkpointMs: 100,
      drainMs: 300,
      maxBackoffMs: 500,
      pendingTimeoutMs: 30_000,
    },
  });
}

/** A scripted stack profile that runs in `pool`. */
export function podProfile(
  stack: string,
  steps: Record<string, any>[],
  overrides: Partial<LaunchProfile> = {},
): LaunchProfile {
  return testProfile(stack, {
    runnerPolicy: { pool: 'linux' },
    script: { steps },
    ...overrides,
  });
}

/** The namespace the pools need. */
export async function createPodNamespace(kubeConfig: KubeConfig) {
  await kubeConfig
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name: POD_NAMESPACE } } });
}

/** The event types a script reports when the scripted runtime plays it on this host. */
export async function localEventTypes(profile: LaunchProfile) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krate-pod-reference-'));
  try {
    const host = new RecordingHost();
    await new ScriptedRuntime().run(
      {
        namespace: 'acme',
        run: 'reference',
        attempt: 'reference-1',
        attemptKind: 'initial',
        prompt: 'Go',
        workingDirectory: dir,
        profile,
      },
      host,
    );
    return host.events.map(event => event.type);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The attempt's events that come from the runtime, not from the dispatch around it. */
export function runtimeEvents<T extends { type: string }>(events: T[]): T[] {
  return events.filter(
    e => !['attempt_phase', 'warning', 'runtime_event'].includes(e.type),
  );
}
