interface ContainerSpec {
  name: string;
  image?: string;
}

function base(container: ContainerSpec) {
  return {
    name: container.name,
    image: container.image ?? '',
    imageID: '',
    restartCount: 0,
    lastState: {},
  };
}

/** A container the kubelet has not started (yet). */
export function waitingStatus(
  container: ContainerSpec,
  reason: string,
  message?: string,
) {
  return {
    ...base(container),
    ready: false,
    started: false,
    state: { waiting: { reason, ...(message ? { message } : {}) } },
  };
}

export function runningStatus(
  container: ContainerSpec,
  startedAt: string,
  pid: number | undefined,
) {
  return {
    ...base(container),
    containerID: `local://${pid ?? 0}`,
    ready: true,
    started: true,
    state: { running: { startedAt } },
  };
}

export function terminatedStatus(
  container: ContainerSpec,
  exit: {
    exitCode: number;
    startedAt: string;
    finishedAt: string;
    pid?: number;
    reason?: string;
    message?: string;
  },
) {
  return {
    ...base(container),
    containerID: `local://${exit.pid ?? 0}`,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode: exit.exitCode,
        reason: exit.reason ?? (exit.exitCode === 0 ? 'Completed' : 'Error'),
        ...(exit.message ? { message: exit.message } : {}),
        startedAt: exit.startedAt,
        finishedAt: exit.finishedAt,
        containerID: `local://${exit.pid ?? 0}`,
      },
    },
  };
}

export function podCondition(type: string, status: boolean, now: string) {
  return {
    type,
    status: status ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: now,
  };
}

export function nowTimestamp() {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
