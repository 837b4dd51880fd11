import { Authorizer } from './Authorizer';
import { KubeApiError } from './KubeApiError';
import { isPlainObject, KubeUser } from './kubeObjects';
import { SpecialHandler } from './KubernetesApiServer';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

function sendJson(
  res: Parameters<SpecialHandler>[0]['res'],
  code: number,
  body: unknown,
) {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function review(
  authorizer: Authorizer,
  kind: string,
  body: unknown,
  user: KubeUser,
  namespace?: string,
) {
  if (!isPlainObject(body) || !isPlainObject(body.spec)) {
    throw KubeApiError.badRequest(`${kind} needs a spec`);
  }
  const spec = body.spec as {
    resourceAttributes?: ResourceAttributes;
    nonResourceAttributes?: unknown;
  };
  let allowed = false;
  let reason = '';
  if (spec.resourceAttributes) {
    const attributes = spec.resourceAttributes;
    const decision = authorizer.authorize({
      user,
      verb: attributes.verb ?? '',
      group: attributes.group ?? '',
      resource: attributes.resource ?? '',
      subresource: attributes.subresource || undefined,
      namespace: namespace ?? (attributes.namespace || undefined),
      name: attributes.name || undefined,
    });
    allowed = decision.allowed;
    reason = decision.reason;
  } else if (spec.nonResourceAttributes) {
    // Discovery and health URLs are open to every authenticated user (system:discovery).
    allowed = true;
    reason = 'non-resource URLs are not restricted by the double';
  }
  return {
    kind,
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: body.spec,
    status: { allowed, ...(reason ? { reason } : {}) },
  };
}

/** POST selfsubjectaccessreviews: may the caller do it? */
export function selfSubjectAccessReviewHandler(
  authorizer: Authorizer,
): SpecialHandler {
  return ({ res, body, user }) =>
    sendJson(
      res,
      201,
      review(authorizer, 'SelfSubjectAccessReview', body, user),
    );
}

/** POST subjectaccessreviews and localsubjectaccessreviews: may `spec.user`/`spec.groups` do it? */
export function subjectAccessReviewHandler(
  authorizer: Authorizer,
  kind: string,
): SpecialHandler {
  return ({ res, body, target }) => {
    const spec =
      isPlainObject(body) && isPlainObject(body.spec) ? body.spec : {};
    const subject: KubeUser = {
      username: String(spec.user ?? ''),
      groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [],
    };
    sendJson(
      res,
      201,
      review(authorizer, kind, body, subject, target.namespace),
    );
  };
}
