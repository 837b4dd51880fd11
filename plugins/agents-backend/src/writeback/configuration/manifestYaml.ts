import { stringify } from 'yaml';
import { StoredResource } from '../../resources/ResourceStore';

/**
 * The object as a manifest to keep in git: what `kubectl apply` takes, without the fields the
 * store or the cluster owns (uid, resourceVersion, timestamps, status).
 */
export function manifestYaml(object: StoredResource): string {
  const { name, namespace, labels, annotations } = object.metadata;
  return stringify({
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name,
      namespace,
      ...(labels && Object.keys(labels).length ? { labels } : {}),
      ...(annotations && Object.keys(annotations).length
        ? { annotations }
        : {}),
    },
    spec: object.spec,
  });
}
