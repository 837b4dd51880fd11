import { AgentMcpServer } from '@krate/plugin-agents-common';
import { FeedReconciler } from '../controllers/ChangeFeedLoop';
import { ResourceStore, WatchEvent } from '../resources/ResourceStore';
import { McpServerProbes } from './McpServerProbes';

const PAGE = 500;

/** The grant kinds whose `mcp-server` subjects give servers their own secrets. */
export const MCP_GRANT_KINDS = ['AgentSecretGrant', 'AgentConfigGrant'];

/** Whether no probe has seen this generation of the server's spec yet. */
function isUnprobed(server: AgentMcpServer): boolean {
  return (
    server.status?.lastProbeTime === undefined ||
    server.status?.observedGeneration !== server.metadata.generation
  );
}

/**
 * The feed's side of MCP health: a server that is new or whose spec changed is probed as soon as
 * the change arrives, and so is a server a changed grant names as an `mcp-server` subject (its
 * secrets may have come or gone), instead of on the next scheduled round. A server whose current
 * spec was probed already (the probes' own status writes among them) causes no work.
 */
export class ServersToProbe implements FeedReconciler {
  /** `namespace/name` → whether to probe even when its spec was probed already. */
  #queued = new Map<string, boolean>();
  /** Probes take seconds: work taken off the queue counts as queued until it is done. */
  #probing = false;

  constructor(
    private readonly store: ResourceStore,
    private readonly probes: McpServerProbes,
    private readonly actor: string,
  ) {}

  note(event: WatchEvent) {
    const { kind, metadata, spec } = event.object;
    if (MCP_GRANT_KINDS.includes(kind)) {
      for (const subject of (spec.subjects ?? []) as {
        kind: string;
        name: string;
      }[]) {
        if (subject.kind === 'mcp-server') {
          this.#add(metadata.namespace, subject.name, true);
        }
      }
      return;
    }
    if (
      event.type === 'DELETED' ||
      !isUnprobed(event.object as AgentMcpServer)
    ) {
      return;
    }
    this.#add(metadata.namespace, metadata.name, false);
  }

  hasQueued(): boolean {
    return this.#probing || this.#queued.size > 0;
  }

  async reconcileAll() {
    this.#queued.clear();
    let continueToken: string | undefined;
    do {
      const page = await this.store.list('AgentMcpServer', {
        limit: PAGE,
        continueToken,
      });
      for (const server of page.items as AgentMcpServer[]) {
        if (isUnprobed(server)) {
          this.#add(server.metadata.namespace, server.metadata.name, false);
        }
      }
      continueToken = page.continueToken;
    } while (continueToken);
    // Probed on the loop's next pass, so starting the loop does not wait for the probes.
  }

  async reconcileQueued() {
    const queued = [...this.#queued];
    this.#queued = new Map();
    this.#probing = true;
    try {
      for (const [index, [key, force]] of queued.entries()) {
        try {
          await this.#probe(key, force);
        } catch (error) {
          for (const [rest, restForce] of queued.slice(index)) {
            this.#queued.set(
              rest,
              restForce || this.#queued.get(rest) === true,
            );
          }
          throw error;
        }
      }
    } finally {
      this.#probing = false;
    }
  }

  async #probe(key: string, force: boolean) {
    const [namespace, name] = key.split('/');
    const server = (await this.store.get('AgentMcpServer', namespace, name)) as
      | AgentMcpServer
      | undefined;
    if (!server || (!force && !isUnprobed(server))) return;
    try {
      await this.probes.probeAndRecord(server, this.actor);
    } catch (error) {
      // Deleted while it was probed: nothing to record.
      if ((error as Error)?.name !== 'NotFoundError') throw error;
    }
  }

  #add(namespace: string, name: string, force: boolean) {
    const key = `${namespace}/${name}`;
    this.#queued.set(key, force || this.#queued.get(key) === true);
  }
}
