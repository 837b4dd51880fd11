import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { ContainerLog } from './ContainerLog';
import {
  nowTimestamp,
  podCondition,
  runningStatus,
  terminatedStatus,
  waitingStatus,
} from './containerStatuses';
import { cloneJson, KubeObject } from './kubeObjects';
import { ObjectStore } from './ObjectStore';
import {
  containerEnvironment,
  ContainerConfigError,
  expandReferences,
} from './podEnvironment';
import {
  materializeVolumes,
  MountRewrite,
  mountRewrites,
  ObjectReader,
  rewriteMountPaths,
} from './podVolumes';

interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: any[];
  envFrom?: any[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
}

interface PodRun {
  namespace: string;
  name: string;
  folder: string;
  logs: Map<string, ContainerLog>;
  processes: Map<string, ChildProcess>;
  terminating: boolean;
  finished: boolean;
  timers: Set<NodeJS.Timeout>;
}

export interface PodRunnerOptions {
  store: ObjectStore;
  /** Writes a pod's new status (a MODIFIED event). */
  writePod: (pod: KubeObject) => void;
  /** Removes a pod whose processes have all ended (a DELETED event). */
  removePod: (pod: KubeObject) => void;
  /** Folder the per-pod folders go into. */
  folder: string;
  /** A token the double accepts for a service account, for the automounted token file. */
  serviceAccountToken: (namespace: string, name: string) => string;
  apiServerPort: () => number;
  caCertificate: () => string;
}

const SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const POLL_MS = 100;

function signalExitCode(signal: NodeJS.Signals | null): number {
  const number = signal
    ? (osConstants.signals as Record<string, number>)[signal]
    : undefined;
  return 128 + (number ?? 9);
}

/**
 * The kubelet of the double: runs a pod's containers as local processes (init containers one
 * after another, then the containers together), keeps their logs, reports status and
 * terminates them gracefully on delete. restartPolicy is always treated as Never.
 */
export class PodRunner {
  private readonly runs = new Map<string, PodRun>();

  constructor(private readonly options: PodRunnerOptions) {}

  start(pod: KubeObject) {
    const { namespace = '', name = '', uid = '' } = pod.metadata;
    const run: PodRun = {
      namespace,
      name,
      folder: path.join(
        this.options.folder,
        `${namespace}_${name}_${uid.slice(0, 8)}`,
      ),
      logs: new Map(),
      processes: new Map(),
      terminating: false,
      finished: false,
      timers: new Set(),
    };
    this.runs.set(uid, run);
    fs.mkdirSync(run.folder, { recursive: true });
    this.lifecycle(run, pod).catch(error => {
      this.updateStatus(run, status => {
        status.phase = 'Failed';
        status.message = `the double could not run the pod: ${
          (error as Error).message
        }`;
      });
      this.finish(run);
    });
  }

  /** Starts graceful termination; answers the pod as it is while terminating, or undefined if nothing runs. */
  terminate(
    pod: KubeObject,
    gracePeriodSeconds: number | undefined,
  ): KubeObject | undefined {
    const run = this.runs.get(pod.metadata.uid ?? '');
    if (!run || run.finished) return undefined;
    const grace =
      gracePeriodSeconds ??
      (pod.spec as any)?.terminationGracePeriodSeconds ??
      30;
    const terminating = cloneJson(pod);
    if (!terminating.metadata.deletionTimestamp) {
      terminating.metadata.deletionTimestamp = new Date(
        Date.now() + grace * 1000,
      )
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
    }
    terminating.metadata.deletionGracePeriodSeconds = grace;
    const kill = (signal: NodeJS.Signals) => {
      for (const child of run.processes.values()) {
        try {
          process.kill(-(child.pid ?? 0), signal);
        } catch {
          // Already gone.
        }
      }
    };
    if (!run.terminating || grace === 0) {
      run.terminating = true;
      if (grace === 0) kill('SIGKILL');
      else {
        kill('SIGTERM');
        this.after(run, grace * 1000, () => kill('SIGKILL'));
      }
    }
    return this.options.store.update('/pods', terminating);
  }

  /** The pod is gone: its folder goes too. */
  forget(pod: KubeObject) {
    const uid = pod.metadata.uid ?? '';
    const run = this.runs.get(uid);
    if (!run) return;
    run.timers.forEach(t => clearTimeout(t));
    for (const log of run.logs.values()) log.end();
    this.runs.delete(uid);
    fs.rmSync(run.folder, { recursive: true, force: true });
  }

  logOf(pod: KubeObject, container: string): ContainerLog | undefined {
    return this.runs.get(pod.metadata.uid ?? '')?.logs.get(container);
  }

  /** Kills every process (SIGKILL) and removes every pod folder. */
  async stopAll() {
    const waits: Promise<unknown>[] = [];
    for (const run of this.runs.values()) {
      run.terminating = true;
      run.timers.forEach(t => clearTimeout(t));
      for (const child of run.processes.values()) {
        if (child.exitCode === null && child.signalCode === null) {
          waits.push(new Promise(resolve => child.once('close', resolve)));
          try {
            process.kill(-(child.pid ?? 0), 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
    }
    await Promise.all(waits);
    for (const run of this.runs.values())
      fs.rmSync(run.folder, { recursive: true, force: true });
    this.runs.clear();
  }

  private read(run: PodRun): ObjectReader {
    return (resource, name) =>
      this.options.store.get(`/${resource}`, run.namespace, name);
  }

  private async lifecycle(run: PodRun, pod: KubeObject) {
    const spec = pod.spec as {
      containers: Container[];
      initContainers?: Container[];
      serviceAccountName?: string;
      automountServiceAccountToken?: boolean;
    };
    const initContainers = spec.initContainers ?? [];
    this.updateStatus(run, status => {
      status.phase = 'Pending';
      status.startTime = nowTimestamp();
      status.hostIP = '127.0.0.1';
      status.podIP = '127.0.0.1';
      status.qosClass = 'BestEffort';
      status.conditions = [podCondition('PodScheduled', true, nowTimestamp())];
      if (initContainers.length)
        status.initContainerStatuses = initContainers.map(c =>
          waitingStatus(c, 'PodInitializing'),
        );
      status.containerStatuses = spec.containers.map(c =>
        waitingStatus(
          c,
          initContainers.length ? 'PodInitializing' : 'ContainerCreating',
        ),
      );
    });

    let folders = new Map<string, string>();
    for (;;) {
      if (run.terminating) return this.finish(run);
      const { folders: ready, missing } = materializeVolumes(
        pod,
        run.folder,
        this.read(run),
      );
      folders = ready;
      if (missing.length === 0) break;
      await this.sleep(run, POLL_MS);
    }
    const extraMounts = this.serviceAccountMount(run, spec);

    for (const [index, container] of initContainers.entries()) {
      if (run.terminating) return this.finish(run);
      const exitCode = await this.runContainer(
        run,
        pod,
        container,
        folders,
        extraMounts,
        `initContainerStatuses`,
        index,
      );
      if (exitCode !== 0) {
        this.updateStatus(run, status => {
          status.phase = 'Failed';
          status.containerStatuses = spec.containers.map(c =>
            waitingStatus(c, 'PodInitializing'),
          );
        });
        return this.finish(run);
      }
    }
    if (run.terminating) return this.finish(run);
    const exitCodes = await Promise.all(
      spec.containers.map((container, index) =>
        this.runContainer(
          run,
          pod,
          container,
          folders,
          extraMounts,
          'containerStatuses',
          index,
        ),
      ),
    );
    this.updateStatus(run, status => {
      status.phase = exitCodes.every(code => code === 0)
        ? 'Succeeded'
        : 'Failed';
      status.conditions = [
        podCondition('PodScheduled', true, nowTimestamp()),
        podCondition('Initialized', true, nowTimestamp()),
        podCondition('ContainersReady', false, nowTimestamp()),
        podCondition('Ready', false, nowTimestamp()),
      ];
    });
    return this.finish(run);
  }

  private serviceAccountMount(
    run: PodRun,
    spec: {
      serviceAccountName?: string;
      automountServiceAccountToken?: boolean;
    },
  ): MountRewrite[] {
    if (spec.automountServiceAccountToken === false) return [];
    const folder = path.join(run.folder, 'serviceaccount');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, 'token'),
      this.options.serviceAccountToken(
        run.namespace,
        spec.serviceAccountName ?? 'default',
      ),
    );
    fs.writeFileSync(path.join(folder, 'ca.crt'), this.options.caCertificate());
    fs.writeFileSync(path.join(folder, 'namespace'), run.namespace);
    return [{ mountPath: SERVICE_ACCOUNT_MOUNT, localPath: folder }];
  }

  /** Runs one container to its end; answers its exit code. */
  private async runContainer(
    run: PodRun,
    pod: KubeObject,
    container: Container,
    folders: Map<string, string>,
    extraMounts: MountRewrite[],
    statusField: 'containerStatuses' | 'initContainerStatuses',
    index: number,
  ): Promise<number> {
    const rewrites = mountRewrites(container, folders, extraMounts);
    let env: Record<string, string>;
    for (;;) {
      try {
        env = containerEnvironment(pod, container, this.read(run), {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: path.join(run.folder, 'home'),
          HOSTNAME: run.name,
          KUBERNETES_SERVICE_HOST: '127.0.0.1',
          KUBERNETES_SERVICE_PORT: String(this.options.apiServerPort()),
        });
        break;
      } catch (error) {
        if (!(error instanceof ContainerConfigError)) throw error;
        this.setContainerStatus(
          run,
          statusField,
          index,
          waitingStatus(container, 'CreateContainerConfigError', error.message),
        );
        if (run.terminating) return 137;
        await this.sleep(run, POLL_MS);
      }
    }
    const argv = [...(container.command ?? []), ...(container.args ?? [])].map(
      arg => rewriteMountPaths(expandReferences(arg, env), rewrites),
    );
    for (const key of Object.keys(env))
      env[key] = rewriteMountPaths(env[key], rewrites);
    fs.mkdirSync(env.HOME, { recursive: true });
    const cwd = this.workingDirectory(run, container.workingDir, rewrites);
    const log = new ContainerLog();
    run.logs.set(container.name, log);
    const startedAt = nowTimestamp();
    if (argv.length === 0) {
      log.end();
      this.setContainerStatus(
        run,
        statusField,
        index,
        terminatedStatus(container, {
          exitCode: 128,
          startedAt,
          finishedAt: startedAt,
          reason: 'StartError',
          message:
            'the double runs containers as local processes and needs a command',
        }),
      );
      return 128;
    }
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    run.processes.set(`${statusField}/${container.name}`, child);
    child.stdout?.on('data', chunk => log.write('stdout', chunk));
    child.stderr?.on('data', chunk => log.write('stderr', chunk));
    return new Promise<number>(resolve => {
      let failedToStart: Error | undefined;
      child.once('spawn', () => {
        this.setContainerStatus(
          run,
          statusField,
          index,
          runningStatus(container, startedAt, child.pid),
        );
        if (statusField === 'containerStatuses') {
          this.updateStatus(run, status => {
            if (status.phase === 'Pending') status.phase = 'Running';
          });
        }
      });
      child.once('error', error => {
        failedToStart = error;
      });
      child.once('close', (code, signal) => {
        run.processes.delete(`${statusField}/${container.name}`);
        log.end();
        const exitCode = failedToStart ? 128 : code ?? signalExitCode(signal);
        this.setContainerStatus(
          run,
          statusField,
          index,
          terminatedStatus(container, {
            exitCode,
            startedAt,
            finishedAt: nowTimestamp(),
            pid: child.pid,
            ...(failedToStart
              ? { reason: 'StartError', message: failedToStart.message }
              : {}),
          }),
        );
        resolve(exitCode);
      });
    });
  }

  private workingDirectory(
    run: PodRun,
    workingDir: string | undefined,
    rewrites: MountRewrite[],
  ) {
    if (!workingDir) return run.folder;
    const rewritten = rewriteMountPaths(workingDir, rewrites);
    if (rewritten !== workingDir || fs.existsSync(rewritten)) return rewritten;
    // An unmounted folder of the image: a fresh one inside the pod's own root.
    const inPod = path.join(run.folder, 'rootfs', workingDir);
    fs.mkdirSync(inPod, { recursive: true });
    return inPod;
  }

  private setContainerStatus(
    run: PodRun,
    field: 'containerStatuses' | 'initContainerStatuses',
    index: number,
    value: unknown,
  ) {
    this.updateStatus(run, status => {
      const list = (status[field] ?? []) as unknown[];
      list[index] = value;
      status[field] = list;
    });
  }

  private updateStatus(
    run: PodRun,
    mutate: (status: Record<string, any>) => void,
  ) {
    const pod = this.options.store.get('/pods', run.namespace, run.name);
    if (!pod) return;
    const status = cloneJson((pod.status ?? {}) as Record<string, any>);
    mutate(status);
    if (JSON.stringify(status) === JSON.stringify(pod.status)) return;
    this.options.writePod({ ...pod, status });
  }

  private finish(run: PodRun) {
    run.finished = true;
    run.timers.forEach(t => clearTimeout(t));
    if (!run.terminating) return;
    const pod = this.options.store.get('/pods', run.namespace, run.name);
    if (pod?.metadata.deletionTimestamp) this.options.removePod(pod);
  }

  private sleep(run: PodRun, ms: number) {
    return new Promise<void>(resolve => this.after(run, ms, resolve));
  }

  private after(run: PodRun, ms: number, action: () => void) {
    const timer = setTimeout(() => {
      run.timers.delete(timer);
      action();
    }, ms);
    run.timers.add(timer);
  }
}
