import { KubeObject } from './kubeObjects';
import { ObjectReader } from './podVolumes';

interface KeySelector {
  name: string;
  key: string;
  optional?: boolean;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: KeySelector;
    configMapKeyRef?: KeySelector;
    fieldRef?: { fieldPath: string };
  };
}

interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

/** Why a container cannot start yet (the kubelet's CreateContainerConfigError). */
export class ContainerConfigError extends Error {}

function fieldValue(pod: KubeObject, fieldPath: string): string {
  const metadata = pod.metadata;
  const keyed = fieldPath.match(
    /^metadata\.(labels|annotations)\['([^']+)'\]$/,
  );
  if (keyed)
    return (
      (metadata[keyed[1]] as Record<string, string> | undefined)?.[keyed[2]] ??
      ''
    );
  switch (fieldPath) {
    case 'metadata.name':
      return metadata.name ?? '';
    case 'metadata.namespace':
      return metadata.namespace ?? '';
    case 'metadata.uid':
      return metadata.uid ?? '';
    case 'metadata.labels':
    case 'metadata.annotations':
      return Object.entries(
        (metadata[fieldPath.slice(9)] ?? {}) as Record<string, string>,
      )
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n');
    case 'spec.serviceAccountName':
      return String((pod.spec as any)?.serviceAccountName ?? '');
    case 'spec.nodeName':
      return String((pod.spec as any)?.nodeName ?? '');
    case 'status.podIP':
    case 'status.hostIP':
      return '127.0.0.1';
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  }
}

function keyOf(
  read: ObjectReader,
  resource: 'configmaps' | 'secrets',
  selector: KeySelector,
): string | undefined {
  const object = read(resource, selector.name);
  const data = (object?.data ?? {}) as Record<string, string>;
  if (!object || !(selector.key in data)) {
    if (selector.optional) return undefined;
    const kind = resource === 'secrets' ? 'secret' : 'configmap';
    throw new ContainerConfigError(
      object
        ? `couldn't find key ${selector.key} in ${kind} ${object.metadata.namespace}/${selector.name}`
        : `${kind} "${selector.name}" not found`,
    );
  }
  return resource === 'secrets'
    ? Buffer.from(data[selector.key], 'base64').toString('utf8')
    : data[selector.key];
}

/** Expands `$(VAR)` references the way the kubelet does; `$$(VAR)` escapes. */
export function expandReferences(
  text: string,
  env: Record<string, string>,
): string {
  return text.replace(
    /\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g,
    (match, name) => {
      if (match === '$$') return '$';
      return name in env ? env[name] : match;
    },
  );
}

/** The environment of one container: envFrom, then env (value, secretKeyRef, configMapKeyRef, fieldRef). */
export function containerEnvironment(
  pod: KubeObject,
  container: { env?: EnvVar[]; envFrom?: EnvFromSource[] },
  read: ObjectReader,
  base: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = { ...base };
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref) continue;
    const resource = source.secretRef ? 'secrets' : 'configmaps';
    const object = read(resource, ref.name);
    if (!object) {
      if (ref.optional) continue;
      throw new ContainerConfigError(
        `${resource === 'secrets' ? 'secret' : 'configmap'} "${
          ref.name
        }" not found`,
      );
    }
    for (const [key, value] of Object.entries(
      (object.data ?? {}) as Record<string, string>,
    )) {
      env[`${source.prefix ?? ''}${key}`] =
        resource === 'secrets'
          ? Buffer.from(value, 'base64').toString('utf8')
          : value;
    }
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    let value: string | undefined;
    if (from?.secretKeyRef) value = keyOf(read, 'secrets', from.secretKeyRef);
    else if (from?.configMapKeyRef)
      value = keyOf(read, 'configmaps', from.configMapKeyRef);
    else if (from?.fieldRef) value = fieldValue(pod, from.fieldRef.fieldPath);
    else value = expandReferences(variable.value ?? '', env);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}
