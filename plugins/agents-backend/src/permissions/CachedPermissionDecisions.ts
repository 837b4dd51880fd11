import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  PolicyDecision,
  QueryPermissionRequest,
} from '@backstage/plugin-permission-common';

type Decide = Pick<PermissionsService, 'authorizeConditional'>;

interface Entry {
  expiresAt: number;
  decision: Promise<PolicyDecision>;
}

/**
 * A user's conditional decisions, kept for a few seconds per permission, the way the Kubernetes
 * webhook authorizer caches its answers. Without it every list call and every page of a list asks
 * the permission backend over HTTP, which in turn asks the auth backend for the user's ownership:
 * two round trips that cost more than the indexed query itself. Service principals are decided
 * in process by Backstage and pass straight through.
 */
export class CachedPermissionDecisions implements Decide {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly permissions: Decide,
    private readonly options: {
      ttlMs: number;
      maxEntries?: number;
      now?: () => number;
    },
  ) {}

  async authorizeConditional(
    queries: QueryPermissionRequest[],
    options: { credentials: BackstageCredentials },
  ): Promise<PolicyDecision[]> {
    const { principal } = options.credentials;
    if (this.options.ttlMs <= 0 || !isUser(principal)) {
      return this.permissions.authorizeConditional(queries, options);
    }
    const now = (this.options.now ?? Date.now)();
    const keys = queries.map(
      query => `${principal.userEntityRef}\n${query.permission.name}`,
    );
    const missing = queries.flatMap((query, i) =>
      this.#fresh(keys[i], now) ? [] : [{ query, key: keys[i] }],
    );
    if (missing.length > 0) {
      // One call for everything not cached, as the caller would have made it.
      const asked = this.permissions.authorizeConditional(
        missing.map(m => m.query),
        options,
      );
      missing.forEach(({ key }, i) =>
        this.#remember(
          key,
          asked.then(decisions => decisions[i]),
          now,
        ),
      );
    }
    return Promise.all(keys.map(key => this.#entries.get(key)!.decision));
  }

  #fresh(key: string, now: number): boolean {
    const entry = this.#entries.get(key);
    return entry !== undefined && entry.expiresAt > now;
  }

  #remember(key: string, decision: Promise<PolicyDecision>, now: number) {
    // Re-inserted so the map stays in age order and the oldest entry is the first to go.
    this.#entries.delete(key);
    this.#entries.set(key, { expiresAt: now + this.options.ttlMs, decision });
    decision.catch(() => {
      if (this.#entries.get(key)?.decision === decision) {
        this.#entries.delete(key);
      }
    });
    const maxEntries = this.options.maxEntries ?? 10_000;
    while (this.#entries.size > maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }
}

function isUser(
  principal: unknown,
): principal is { type: 'user'; userEntityRef: string } {
  return (principal as { type?: string }).type === 'user';
}
