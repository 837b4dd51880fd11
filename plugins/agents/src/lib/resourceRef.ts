/**
 * The permission framework's reference to a stored agents resource, `Kind:namespace/name`, as
 * the backend's permission integration resolves it.
 */
export function resourceRefOf(
  kind: string,
  namespace: string,
  name: string,
): string {
  return `${kind}:${namespace}/${name}`;
}
