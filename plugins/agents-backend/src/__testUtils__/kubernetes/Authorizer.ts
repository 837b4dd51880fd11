import { KubeApiError, qualifiedResource } from './KubeApiError';
import { KubeUser } from './kubeObjects';

/** What a request wants to do, in the terms RBAC rules speak. */
export interface RequestAttributes {
  user: KubeUser;
  verb: string;
  group: string;
  /** plural, e.g. `pods` */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface AuthorizationDecision {
  allowed: boolean;
  reason: string;
}

export interface Authorizer {
  authorize(attributes: RequestAttributes): AuthorizationDecision;
}

/** The API server's 403 for a denied request, in its exact message format. */
export function forbiddenError(attributes: RequestAttributes): KubeApiError {
  const { user, verb, group, resource, subresource, namespace, name } =
    attributes;
  const qualified = qualifiedResource({ resource, group, kind: '' });
  const subject = name ? `${qualified} "${name}"` : qualified;
  const scope = namespace
    ? `in the namespace "${namespace}"`
    : 'at the cluster scope';
  const fullResource = subresource ? `${resource}/${subresource}` : resource;
  return KubeApiError.forbidden(
    `${subject} is forbidden: User "${user.username}" cannot ${verb} resource "${fullResource}" in API group "${group}" ${scope}`,
    { ...(name ? { name } : {}), ...(group ? { group } : {}), kind: resource },
  );
}
