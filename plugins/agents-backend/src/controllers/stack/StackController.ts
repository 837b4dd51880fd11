import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { AgentStack } from '@krate/plugin-agents-common';
import { setTimeout as delay } from 'node:timers/promises';
import { jsonEqual } from '../../resources/digest';
import {
  ResourceExpiredError,
  ResourceStore,
  StoredResource,
  WatchEvent,
} from '../../resources/ResourceStore';
import { RuntimeRegistry } from '../../runtimes/RuntimeRegistry';
import { NamespaceReader } from './NamespaceReader';
import { RuntimeAvailability } from './RuntimeAvailability';
import { StackResolver } from './StackResolver';

/** The actor of the controller's status writes in the audit trail. */
export const STACK_CONTROLLER_ACTOR = 'agents:stack-controller';

/** Kinds whose objects a stack may refer to, and the stack itself. */
export const STACK_INPUT_KINDS = [
  'AgentStack',
  'AgentSubagent',
  'AgentToolProfile',
  'AgentMcpServer',
  'AgentSkill',
  'AgentServiceAccount',
  'AgentSecretGrant',
  'AgentConfigGrant',
  'AgentWorkspacePolicy',
  'AgentContextLabel',
] as const;

const BATCH = 500;

export interface StackControllerOptions {
  store: ResourceStore;
  runtimes: RuntimeRegistry;
  logger: LoggerService;
  /**
   * How often runtime availability is asked again and every stack re-resolved (which also
   * catches grants that expired meanwhile); default 60 s.
   */
  availabilityRecheckMs?: number;
  /** Longest sleep between reads of the change feed, for writes of other instances; default 2 s. */
  pollMs?: number;
  /** Pause before retrying after an error; default 5 s. */
  retryMs?: number;
  /**
   * Pause after a write woke it, so a burst of writes (a dispatch writes runs, attempts,
   * sessions…) costs one pass over the feed instead of one per write; default 100 ms.
   */
  settleMs?: number;
}

/** Stacks waiting to be reconciled, by namespace: all of them, or some by name. */
type Pending = Map<string, Set<string> | 'all'>;

/**
 * Keeps every AgentStack's status (readiness, conditions, effective profile and its digest)
 * current. It reconciles all stacks on start and on each availability recheck, and in between
 * follows the store's change feed: a change of a stack re-resolves that stack, a change of any
 * other object a stack may refer to re-resolves the stacks of its namespace. Status is written
 * only when it differs, with the read resourceVersion as precondition; the controller's own
 * writes come back through the feed and are recognised, so they cause no further work.
 */
export class StackController {
  readonly #store: ResourceStore;
  readonly #logger: LoggerService;
  readonly #availability: RuntimeAvailability;
  readonly #resolver: StackResolver;
  readonly #recheckMs: number;
  readonly #pollMs: number;
  readonly #retryMs: number;
  readonly #settleMs: number;

  readonly #cursors = new Map<string, number>();
  /** resourceVersion of each stack as the controller's last status write left it. */
  readonly #echoes = new Map<string, string>();
  #pending: Pending = new Map();
  #fullSyncNeeded = true;
  #nextRecheck = 0;
  #stop?: AbortController;
  #wake = new AbortController();
  #loop?: Promise<void>;
  #waiters: { target: number; resolve: () => void }[] = [];

  constructor(options: StackControllerOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#recheckMs = options.availabilityRecheckMs ?? 60_000;
    this.#pollMs = options.pollMs ?? 2_000;
    this.#retryMs = options.retryMs ?? 5_000;
    this.#settleMs = options.settleMs ?? 100;
    this.#availability = new RuntimeAvailability({ maxAgeMs: this.#recheckMs });
    this.#resolver = new StackResolver({
      store: options.store,
      runtimes: options.runtimes,
      availability: this.#availability,
    });
  }

  /** Starts the loop; resolves once the first reconciliation of every stack was tried. */
  async start(): Promise<void> {
    if (this.#loop) return;
    this.#stop = new AbortController();
    this.#fullSyncNeeded = true;
    this.#nextRecheck = 0;
    let firstPassDone!: () => void;
    const firstPass = new Promise<void>(resolve => {
      firstPassDone = resolve;
    });
    this.#loop = this.#run(this.#stop.signal, firstPassDone);
    await firstPass;
  }

  /** Stops the loop; resolves when it has exited. */
  async stop(): Promise<void> {
    this.#stop?.abort();
    this.#wake.abort();
    await this.#loop;
    this.#loop = undefined;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  }

  /** Resolves once every change up to the store's current resource version is reconciled. */
  async whenSynced(): Promise<void> {
    if (!this.#loop) {
      throw new Error('The stack controller is not running');
    }
    const target = Number(await this.#store.currentResourceVersion());
    if (this.#isSynced(target)) return;
    await new Promise<void>(resolve => {
      this.#waiters.push({ target, resolve });
      this.#wake.abort();
    });
  }

  #isSynced(target: number): boolean {
    return (
      !this.#fullSyncNeeded &&
      this.#pending.size === 0 &&
      STACK_INPUT_KINDS.every(kind => (this.#cursors.get(kind) ?? -1) >= target)
    );
  }

  async #run(signal: AbortSignal, firstPassDone: () => void): Promise<void> {
    let first = true;
    while (!signal.aborted) {
      let next: 'busy' | 'idle' | 'retry' | 'failed';
      try {
        next = await this.#pass();
      } catch (error) {
        this.#logger.warn(
          `Stack controller pass failed; retrying in ${this.#retryMs} ms`,
          isError(error) ? error : undefined,
        );
        next = 'failed';
      }
      this.#waiters = this.#waiters.filter(waiter => {
        if (!this.#isSynced(waiter.target)) return true;
        waiter.resolve();
        return false;
      });
      if (first) {
        first = false;
        firstPassDone();
      }
      if (signal.aborted || next === 'busy') continue;
      if (next === 'failed') {
        await delay(this.#retryMs, undefined, { signal }).catch(() => {});
        continue;
      }
      const wait =
        next === 'retry'
          ? this.#retryMs
          : Math.min(this.#pollMs, this.#nextRecheck - Date.now());
      if (wait > 0 && !this.#wake.signal.aborted) {
        await this.#store.waitForChange(wait, this.#wake.signal);
        await delay(this.#settleMs, undefined, {
          signal: this.#wake.signal,
        }).catch(() => {});
      }
      if (this.#wake.signal.aborted) {
        this.#wake = new AbortController();
      }
    }
  }

  /** One round: a full sync when due, else the feed's new changes. */
  async #pass(): Promise<'busy' | 'idle' | 'retry'> {
    if (Date.now() >= this.#nextRecheck) {
      this.#availability.clear();
      this.#fullSyncNeeded = true;
      this.#nextRecheck = Date.now() + this.#recheckMs;
    }
    if (this.#fullSyncNeeded) {
      const from = Number(await this.#store.currentResourceVersion());
      await this.#reconcileEverything();
      for (const kind of STACK_INPUT_KINDS) this.#cursors.set(kind, from);
      this.#fullSyncNeeded = false;
      return 'busy';
    }

    let more = false;
    for (const kind of STACK_INPUT_KINDS) {
      let changes;
      try {
        changes = await this.#store.changesSince(kind, {
          resourceVersion: String(this.#cursors.get(kind)),
          limit: BATCH,
        });
      } catch (error) {
        if (error instanceof ResourceExpiredError) {
          this.#logger.info(
            `Stack controller fell behind the change feed (${error.message}); reconciling every stack`,
          );
          this.#fullSyncNeeded = true;
          return 'busy';
        }
        throw error;
      }
      changes.events.forEach(event => this.#note(event));
      this.#cursors.set(kind, Number(changes.resourceVersion));
      more ||= changes.events.length === BATCH;
    }
    await this.#reconcilePending();
    if (this.#pending.size) return 'retry';
    return more ? 'busy' : 'idle';
  }

  #note(event: WatchEvent) {
    const { kind, metadata } = event.object;
    if (kind !== 'AgentStack') {
      this.#queue(metadata.namespace, 'all');
      return;
    }
    const key = `${metadata.namespace}/${metadata.name}`;
    if (event.type === 'DELETED') {
      this.#echoes.delete(key);
      return;
    }
    if (this.#echoes.get(key) === metadata.resourceVersion) return;
    this.#queue(metadata.namespace, new Set([metadata.name]));
  }

  #queue(namespace: string, stacks: Set<string> | 'all') {
    const queued = this.#pending.get(namespace);
    if (stacks === 'all' || queued === 'all' || !queued) {
      this.#pending.set(
        namespace,
        stacks === 'all' || queued === 'all' ? 'all' : stacks,
      );
      return;
    }
    stacks.forEach(name => queued.add(name));
  }

  async #reconcilePending() {
    const pending = [...this.#pending];
    this.#pending = new Map();
    for (const [index, [namespace, stacks]] of pending.entries()) {
      const reader = new NamespaceReader(this.#store, namespace);
      let objects: StoredResource[];
      try {
        objects =
          stacks === 'all'
            ? await reader.list('AgentStack')
            : (
                await Promise.all(
                  [...stacks].map(name => reader.get('AgentStack', name)),
                )
              ).filter((o): o is StoredResource => o !== undefined);
      } catch (error) {
        for (const [ns, rest] of pending.slice(index)) this.#queue(ns, rest);
        throw error;
      }
      await this.#reconcileStacks(objects, reader);
    }
  }

  async #reconcileEverything() {
    this.#pending = new Map();
    const byNamespace = new Map<string, StoredResource[]>();
    let continueToken: string | undefined;
    do {
      const page = await this.#store.list('AgentStack', {
        limit: BATCH,
        continueToken,
      });
      for (const stack of page.items) {
        const { namespace } = stack.metadata;
        byNamespace.set(namespace, [
          ...(byNamespace.get(namespace) ?? []),
          stack,
        ]);
      }
      continueToken = page.continueToken;
    } while (continueToken);
    for (const [namespace, stacks] of byNamespace) {
      await this.#reconcileStacks(
        stacks,
        new NamespaceReader(this.#store, namespace),
      );
    }
  }

  /** Reconciles stacks one by one; a stack that fails is queued again for the next round. */
  async #reconcileStacks(stacks: StoredResource[], reader: NamespaceReader) {
    for (const stack of stacks) {
      try {
        await this.#reconcile(stack as AgentStack, reader);
      } catch (error) {
        this.#logger.warn(
          `Could not reconcile AgentStack ${stack.metadata.namespace}/${
            stack.metadata.name
          }; retrying in ${this.#retryMs} ms`,
          isError(error) ? error : undefined,
        );
        this.#queue(stack.metadata.namespace, new Set([stack.metadata.name]));
      }
    }
  }

  async #reconcile(stack: AgentStack, reader: NamespaceReader) {
    const { namespace, name } = stack.metadata;
    const resolved = await this.#resolver.resolveObject(stack, { reader });
    const status = {
      ...stack.status,
      observedGeneration: stack.metadata.generation,
      readiness: resolved.readiness,
      conditions: resolved.conditions,
      profileDigest: resolved.digest,
      effectiveProfile: resolved.profile,
    };
    if (jsonEqual(status, stack.status)) return;
    let written: StoredResource;
    try {
      written = await this.#store.updateStatus(
        { ...stack, status } as StoredResource,
        { actor: STACK_CONTROLLER_ACTOR },
      );
    } catch (error) {
      // The stack changed or went away since it was read; the feed brings that change.
      if (
        isError(error) &&
        (error.name === 'ConflictError' || error.name === 'NotFoundError')
      ) {
        return;
      }
      throw error;
    }
    this.#echoes.set(`${namespace}/${name}`, written.metadata.resourceVersion!);
    if (stack.status?.readiness !== resolved.readiness) {
      const reasons = resolved.conditions
        .filter(c => c.type !== 'Ready')
        .map(c => c.reason);
      this.#logger.info(
        `AgentStack ${namespace}/${name} is ${resolved.readiness}${
          reasons.length ? ` (${reasons.join(', ')})` : ''
        }`,
      );
    }
  }
}
