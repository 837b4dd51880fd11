import { KubeApiError } from './KubeApiError';

/** One `additionalPrinterColumns` entry of a CRD version. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** A resource the double serves: a built-in one or one a CRD registered. */
export interface ResourceType {
  group: string;
  version: string;
  /** plural, e.g. `agentstacks` */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Subresource names, e.g. `status`, `log`. */
  subresources: string[];
  /** The CRD's openAPIV3Schema; built-ins are not validated structurally. */
  schema?: Record<string, unknown>;
  printerColumns?: PrinterColumn[];
  /** The name of the CRD that registered it. */
  definedBy?: string;
}

export const READ_WRITE_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export function apiVersionOf(type: { group: string; version: string }) {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The key objects of a type are stored under: group and plural (one stored version each). */
export function typeKey(type: { group: string; resource: string }) {
  return `${type.group}/${type.resource}`;
}

/** The resources the double serves, looked up by group, version and plural. */
export class ResourceRegistry {
  private readonly types = new Map<string, ResourceType>();

  register(type: ResourceType) {
    this.types.set(this.key(type.group, type.version, type.resource), type);
  }

  unregisterDefinedBy(crdName: string) {
    for (const [key, type] of this.types) {
      if (type.definedBy === crdName) this.types.delete(key);
    }
  }

  find(group: string, version: string, resource: string) {
    return this.types.get(this.key(group, version, resource));
  }

  require(group: string, version: string, resource: string): ResourceType {
    const type = this.find(group, version, resource);
    if (!type) throw KubeApiError.pathNotFound();
    return type;
  }

  /** The type of a kind in a group, in any version (for messages and RBAC lookups). */
  findByKind(group: string, kind: string) {
    return this.all().find(t => t.group === group && t.kind === kind);
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Group name → served versions, in registration order. */
  groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const type of this.types.values()) {
      const versions = groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      groups.set(type.group, versions);
    }
    return groups;
  }

  private key(group: string, version: string, resource: string) {
    return `${group}/${version}/${resource}`;
  }
}
