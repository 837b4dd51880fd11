import fs from 'node:fs';
import path from 'node:path';
import { KubeObject } from './kubeObjects';

/** A container path prefix and the local folder (or file) standing in for it. */
export interface MountRewrite {
  mountPath: string;
  localPath: string;
}

interface KeyToPath {
  key: string;
  path: string;
}

interface Volume {
  name: string;
  emptyDir?: unknown;
  hostPath?: { path: string };
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; optional?: boolean };
}

interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
}

/** Reads the ConfigMaps and Secrets volumes refer to. */
export type ObjectReader = (
  resource: 'configmaps' | 'secrets',
  name: string,
) => KubeObject | undefined;

function writeKeys(
  folder: string,
  files: Record<string, Buffer>,
  items: KeyToPath[] | undefined,
) {
  fs.mkdirSync(folder, { recursive: true });
  const selected = items?.length
    ? items
        .filter(i => i.key in files)
        .map(i => [i.path, files[i.key]] as const)
    : Object.entries(files);
  for (const [file, content] of selected) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), content);
  }
}

function decodedEntries(
  data: unknown,
  decode: (value: string) => Buffer,
): Record<string, Buffer> {
  return Object.fromEntries(
    Object.entries((data ?? {}) as Record<string, string>).map(([k, v]) => [
      k,
      decode(v),
    ]),
  );
}

/**
 * Makes every volume of a pod a local folder under `podFolder`: emptyDir a new folder,
 * configMap and secret a folder with a file per key (secret values decoded), hostPath the host
 * path itself. Answers the volumes whose source is missing (the pod waits for them).
 */
export function materializeVolumes(
  pod: KubeObject,
  podFolder: string,
  read: ObjectReader,
) {
  const folders = new Map<string, string>();
  const missing: string[] = [];
  const volumes = ((pod.spec as any)?.volumes ?? []) as Volume[];
  for (const volume of volumes) {
    const folder = path.join(podFolder, 'volumes', volume.name);
    if (volume.hostPath) {
      folders.set(volume.name, volume.hostPath.path);
    } else if (volume.configMap) {
      const configMap = read('configmaps', volume.configMap.name);
      if (!configMap && !volume.configMap.optional)
        missing.push(`configmap "${volume.configMap.name}"`);
      writeKeys(
        folder,
        {
          ...decodedEntries(configMap?.data, v => Buffer.from(v, 'utf8')),
          ...decodedEntries(configMap?.binaryData, v =>
            Buffer.from(v, 'base64'),
          ),
        },
        volume.configMap.items,
      );
      folders.set(volume.name, folder);
    } else if (volume.secret) {
      const secret = read('secrets', volume.secret.secretName);
      if (!secret && !volume.secret.optional)
        missing.push(`secret "${volume.secret.secretName}"`);
      writeKeys(
        folder,
        decodedEntries(secret?.data, v => Buffer.from(v, 'base64')),
        volume.secret.items,
      );
      folders.set(volume.name, folder);
    } else {
      fs.mkdirSync(folder, { recursive: true });
      folders.set(volume.name, folder);
    }
  }
  return { folders, missing };
}

/** The rewrites of one container's volumeMounts, longest mount path first. */
export function mountRewrites(
  container: { volumeMounts?: VolumeMount[] },
  folders: Map<string, string>,
  extra: MountRewrite[] = [],
) {
  const rewrites: MountRewrite[] = [...extra];
  for (const mount of container.volumeMounts ?? []) {
    const folder = folders.get(mount.name);
    if (!folder) continue;
    rewrites.push({
      mountPath: mount.mountPath.replace(/\/+$/, ''),
      localPath: mount.subPath ? path.join(folder, mount.subPath) : folder,
    });
  }
  return rewrites.sort((a, b) => b.mountPath.length - a.mountPath.length);
}

/** Replaces every occurrence of a mount path (as a whole path or path prefix) by its local folder. */
export function rewriteMountPaths(
  text: string,
  rewrites: MountRewrite[],
): string {
  let result = text;
  for (const { mountPath, localPath } of rewrites) {
    const escaped = mountPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    result = result.replace(
      new RegExp(`(?<![A-Za-z0-9._/-])${escaped}(?=/|$|[^A-Za-z0-9._-])`, 'g'),
      localPath,
    );
  }
  return result;
}
