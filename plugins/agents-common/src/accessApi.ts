/**
 * Bodies of the identity, secret, permission and tool routes: what the portal's pages read.
 * None of them ever carries a Secret or ConfigMap value.
 */

/** A consumer a grant can scope a key to. @public */
export interface SecretConsumerRef {
  kind: 'mcp-server' | 'skill' | 'tool';
  name: string;
  /** Where the need is declared, e.g. `AgentMcpServer/github spec.secretRefs[0]`. */
  field: string;
}

/** A grant of one key, as the inventory shows it. @public */
export interface SecretKeyGrant {
  kind: 'AgentSecretGrant' | 'AgentConfigGrant';
  name: string;
  subjects: { kind: string; name: string }[];
  purpose: string;
  state: 'active' | 'expired' | 'missing';
  expiresAt?: string;
}

/** One Secret or ConfigMap of an org: names, keys, consumers and grants, never values. @public */
export interface SecretInventoryItem {
  source: 'Secret' | 'ConfigMap';
  name: string;
  /** The secret source that holds it (`config`, `kubernetes`…); unset when none does. */
  from?: string;
  lastRotationTime?: string;
  keys: {
    key: string;
    /** Whether a secret source holds this key. */
    present: boolean;
    consumers: SecretConsumerRef[];
    grants: SecretKeyGrant[];
  }[];
}

/** A problem the inventory found, e.g. a consumer's key no grant covers. @public */
export interface AccessWarning {
  /** e.g. `MissingSecret`, `MissingGrant`, `GrantExpired`, `Escalation`, `Drift`. */
  reason: string;
  message: string;
  /** The object it is about, `<Kind>/<name>`. */
  object?: string;
}

/** Body of `GET /secrets/inventory?namespace=`. @public */
export interface SecretInventory {
  items: SecretInventoryItem[];
  warnings: AccessWarning[];
}

/** Who a permission review is about. @public */
export interface PermissionSubject {
  /** user and team: entity refs; service-account: an AgentServiceAccount name. */
  kind: 'user' | 'team' | 'service-account';
  name: string;
}

/** Body of `POST /permissions/review`: one of `action` and `stack`. @public */
export interface PermissionReviewRequest {
  namespace: string;
  subject: PermissionSubject;
  /** A permission name, e.g. `agents.run.create`. */
  action?: string;
  /** An AgentStack name: may the subject dispatch it, and (for a service account) run it. */
  stack?: string;
  /** `<org>/<repository>`, for bindings limited to one repository. */
  repository?: string;
}

/** One link of the chain that decides a review. @public */
export interface PermissionReviewStep {
  kind: 'membership' | 'binding' | 'role' | 'grant' | 'cluster' | 'requirement';
  /** The object, e.g. `AgentRoleBinding/payments-dispatchers` or `group:default/payments`. */
  ref: string;
  detail: string;
  /** Whether this step holds (a binding that applies, a grant that covers). */
  satisfied: boolean;
}

/** Body answering `POST /permissions/review`. @public */
export interface PermissionReview {
  decision: 'allowed' | 'denied';
  subject: PermissionSubject;
  action?: string;
  stack?: string;
  /** The chain of memberships, bindings, roles and grants that decides it. */
  chain: PermissionReviewStep[];
  /** For a denial: what is missing, in words that say what would fix it. */
  reasons: string[];
  warnings: AccessWarning[];
}

/** A role a binding can refer to: a ClusterRole Krate ships, with its permissions. @public */
export interface RoleTemplate {
  name: string;
  description: string;
  /** Permission names, e.g. `agents.run.create`. */
  permissions: string[];
}

/** A node of the grant graph. @public */
export interface AccessGraphNode {
  id: string;
  kind:
    | 'user'
    | 'team'
    | 'service-account'
    | 'binding'
    | 'role'
    | 'grant'
    | 'secret'
    | 'configmap'
    | 'mcp-server'
    | 'skill'
    | 'stack';
  label: string;
}

/** An edge of the grant graph. @public */
export interface AccessGraphEdge {
  from: string;
  to: string;
  label?: string;
}

/** Body of `GET /permissions/overview?namespace=`. @public */
export interface PermissionsOverview {
  roleTemplates: RoleTemplate[];
  bindings: {
    name: string;
    subjects: PermissionSubject[];
    roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
    repository?: string;
    drift?: string;
    /** Who created it, from the audit trail. */
    owner?: string;
  }[];
  graph: { nodes: AccessGraphNode[]; edges: AccessGraphEdge[] };
  warnings: AccessWarning[];
}

/** Body of `GET /identities/overview?namespace=`. @public */
export interface IdentitiesOverview {
  users: {
    ref: string;
    displayName?: string;
    teams: string[];
    bindings: string[];
  }[];
  teams: {
    ref: string;
    displayName?: string;
    members: string[];
    bindings: string[];
  }[];
  serviceAccounts: {
    name: string;
    purpose: 'agent' | 'runner';
    serviceAccountName: string;
    synced?: boolean;
    bindings: string[];
    secretGrants: string[];
    configGrants: string[];
    /** Stacks that run as it (runtime) or whose runners use it. */
    stacks: string[];
  }[];
}

/** Body of `POST /tools/check`: what to ask a tool profile about. @public */
export interface ToolCheckRequest {
  namespace: string;
  /** An AgentToolProfile name. */
  profile: string;
  command?: string;
  /** A workspace-relative path, with `write` for a write. */
  path?: string;
  write?: boolean;
  /** A network host. */
  host?: string;
}

/** Body answering `POST /tools/check`. @public */
export interface ToolCheckResult {
  verdict: 'allow' | 'deny' | 'human';
  reason: string;
  /** The object that decided, e.g. `AgentToolProfile/payments-safe`. */
  policySource: string;
}
