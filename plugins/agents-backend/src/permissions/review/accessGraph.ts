import { AccessGraphEdge, AccessGraphNode } from '@krate/plugin-agents-common';
import { StoredResource } from '../../resources/ResourceStore';
import { specOf } from './bindingRoles';
import { normalSubjectName } from './subjectRefs';

/** Grant subject kinds as graph nodes; tools have no node of their own. */
const GRANT_SUBJECT_NODE: Record<string, AccessGraphNode['kind']> = {
  user: 'user',
  team: 'team',
  agent: 'service-account',
  runner: 'service-account',
  'mcp-server': 'mcp-server',
  skill: 'skill',
};

/**
 * The grant graph of an org: subjects → bindings → roles; grant subjects (users, teams,
 * service accounts, MCP servers, skills) → grants → Secrets and ConfigMaps; stacks → the
 * service accounts they run as.
 */
export function accessGraph(objects: {
  bindings: StoredResource[];
  grants: StoredResource[];
  stacks: StoredResource[];
}): { nodes: AccessGraphNode[]; edges: AccessGraphEdge[] } {
  const nodes = new Map<string, AccessGraphNode>();
  const edges: AccessGraphEdge[] = [];
  const node = (kind: AccessGraphNode['kind'], label: string) => {
    const id = `${kind}:${label}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind, label });
    return id;
  };
  const subjectNode = (kind: AccessGraphNode['kind'], name: string) =>
    node(kind, normalSubjectName(kind, name) ?? name);

  for (const binding of objects.bindings) {
    const { subjects, roleRef, repository } = specOf(binding);
    const id = node('binding', binding.metadata.name);
    for (const subject of subjects) {
      edges.push({
        from: subjectNode(
          subject.kind as AccessGraphNode['kind'],
          subject.name,
        ),
        to: id,
        label: 'subject',
      });
    }
    edges.push({
      from: id,
      to: node('role', roleRef.name),
      label: repository ? `${roleRef.kind} in ${repository}` : roleRef.kind,
    });
  }
  for (const grant of objects.grants) {
    const id = node('grant', `${grant.kind}/${grant.metadata.name}`);
    const subjects = grant.spec.subjects as { kind: string; name: string }[];
    for (const subject of subjects) {
      const kind = GRANT_SUBJECT_NODE[subject.kind];
      if (kind) {
        edges.push({
          from: subjectNode(kind, subject.name),
          to: id,
          label: subject.kind,
        });
      }
    }
    const target =
      grant.kind === 'AgentSecretGrant'
        ? node('secret', grant.spec.secretName as string)
        : node('configmap', grant.spec.configMapName as string);
    edges.push({
      from: id,
      to: target,
      label: (grant.spec.keys as string[]).join(', '),
    });
  }
  for (const stack of objects.stacks) {
    const runtime = stack.spec.runtimeServiceAccountName as string | undefined;
    const runner = (stack.spec.runnerPolicy as { serviceAccountName?: string })
      ?.serviceAccountName;
    if (!runtime && !runner) continue;
    const id = node('stack', stack.metadata.name);
    if (runtime) {
      edges.push({
        from: id,
        to: node('service-account', runtime),
        label: 'runs as',
      });
    }
    if (runner) {
      edges.push({
        from: id,
        to: node('service-account', runner),
        label: 'runners run as',
      });
    }
  }
  return { nodes: [...nodes.values()], edges };
}
