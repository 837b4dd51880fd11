import { AuditStore } from '../../database/AuditStore';
import { NamespaceReader } from '../../controllers/NamespaceReader';
import { ResourceStore, StoredResource } from '../../resources/ResourceStore';

const AUDIT_PAGE = 100;

/** The objects of one org that decide who may do what, each kind sorted by name. */
export class OrgAccess {
  readonly reader: NamespaceReader;
  readonly #audit: AuditStore;
  readonly #owners = new Map<string, Promise<string | undefined>>();

  constructor(store: ResourceStore, audit: AuditStore, readonly org: string) {
    this.reader = new NamespaceReader(store, org);
    this.#audit = audit;
  }

  async list(kind: string): Promise<StoredResource[]> {
    return [...(await this.reader.list(kind))].sort((a, b) =>
      a.metadata.name.localeCompare(b.metadata.name),
    );
  }

  bindings() {
    return this.list('AgentRoleBinding');
  }

  /**
   * Who created the object, from the newest `create` record of its audit trail (an object
   * deleted and created again belongs to whoever created it last); undefined without one.
   */
  ownerOf(object: StoredResource): Promise<string | undefined> {
    const key = `${object.kind}/${object.metadata.name}`;
    let read = this.#owners.get(key);
    if (!read) {
      read = this.#readOwner(object);
      this.#owners.set(key, read);
    }
    return read;
  }

  async #readOwner(object: StoredResource): Promise<string | undefined> {
    const target = {
      kind: object.kind,
      namespace: this.org,
      name: object.metadata.name,
    };
    let before: string | undefined;
    for (;;) {
      const page = await this.#audit.listForTarget({
        target,
        limit: AUDIT_PAGE,
        before,
      });
      const created = page.find(record => record.action === 'create');
      if (created) return created.actor;
      if (page.length < AUDIT_PAGE) return undefined;
      before = page[page.length - 1].id;
    }
  }
}
