import { KubeApiError } from './KubeApiError';
import { SpecialHandler } from './KubernetesApiServer';
import { LogLine } from './ContainerLog';
import { PodRunner } from './PodRunner';
import { ResourceOperations } from './ResourceOperations';

interface ContainerState {
  name: string;
  state?: { waiting?: { reason?: string } };
}

function chooseContainer(pod: any, requested: string | null): string {
  const containers: string[] = (pod.spec?.containers ?? []).map(
    (c: { name: string }) => c.name,
  );
  const initContainers: string[] = (pod.spec?.initContainers ?? []).map(
    (c: { name: string }) => c.name,
  );
  const name = pod.metadata.name;
  if (!requested) {
    if (containers.length === 1) return containers[0];
    const inits = initContainers.length
      ? ` or one of the init containers: [${initContainers.join(' ')}]`
      : '';
    throw KubeApiError.badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${containers.join(
        ' ',
      )}]${inits}`,
    );
  }
  if (![...containers, ...initContainers].includes(requested)) {
    throw KubeApiError.badRequest(
      `container ${requested} is not valid for pod ${name}`,
    );
  }
  return requested;
}

function rfc3339Nano(time: Date) {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/**
 * `GET …/pods/<name>/log`: a container's stdout and stderr, with `follow`, `timestamps`,
 * `tailLines`, `sinceTime`, `sinceSeconds` and `limitBytes`.
 */
export function podLogHandler(
  operations: ResourceOperations,
  runner: PodRunner,
): SpecialHandler {
  return ({ req, res, target, query }) => {
    if (req.method !== 'GET')
      throw KubeApiError.methodNotAllowed(
        `${req.method} is not supported on pods/log`,
      );
    const pod = operations.get({ ...target, subresource: undefined });
    const container = chooseContainer(pod, query.get('container'));
    const log = runner.logOf(pod, container);
    if (!log) {
      const statuses: ContainerState[] = [
        ...(((pod.status as any)?.initContainerStatuses ??
          []) as ContainerState[]),
        ...(((pod.status as any)?.containerStatuses ?? []) as ContainerState[]),
      ];
      const reason =
        statuses.find(s => s.name === container)?.state?.waiting?.reason ??
        'ContainerCreating';
      throw KubeApiError.badRequest(
        `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`,
      );
    }
    const timestamps = query.get('timestamps') === 'true';
    const sinceTime = query.get('sinceTime')
      ? Date.parse(query.get('sinceTime')!)
      : undefined;
    const sinceSeconds = query.get('sinceSeconds')
      ? Date.now() - Number(query.get('sinceSeconds')) * 1000
      : undefined;
    const since = Math.max(sinceTime ?? 0, sinceSeconds ?? 0);
    const tailLines = query.get('tailLines')
      ? Number(query.get('tailLines'))
      : undefined;
    let remainingBytes = query.get('limitBytes')
      ? Number(query.get('limitBytes'))
      : Infinity;
    const format = (line: LogLine) =>
      `${timestamps ? `${rfc3339Nano(line.time)} ` : ''}${line.text}${
        line.complete ? '\n' : ''
      }`;
    const emit = (line: LogLine) => {
      if (remainingBytes <= 0 || line.time.getTime() < since) return;
      const text = format(line);
      const chunk = Buffer.from(text).subarray(0, remainingBytes);
      remainingBytes -= chunk.length;
      res.write(chunk);
    };

    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Transfer-Encoding': 'chunked',
    });
    let backlog = log.lines;
    if (tailLines !== undefined)
      backlog = tailLines === 0 ? [] : backlog.slice(-tailLines);
    backlog.forEach(emit);
    if (query.get('follow') !== 'true') {
      res.end();
      return;
    }
    const unfollow = log.follow(emit, () => res.end());
    res.on('close', unfollow);
  };
}
