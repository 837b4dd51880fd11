import {
  createExtensionPoint,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  WriteBackOperation,
  WriteBackOperationKind,
  WriteBackResult,
} from '@krate/plugin-agents-common';

/**
 * The repository a write-back goes to, as the backend knows it.
 * @public
 */
export interface WriteBackRepository {
  /** `<org>/<repository>`. */
  name: string;
  /** Its remote: a git URL (`https://host/owner/repo.git`) or a local path. */
  url?: string;
  /** The branch a pull request merges into by default. */
  defaultBranch?: string;
}

/**
 * One approved write-back, handed to its target. The target must be idempotent: before it
 * creates anything it looks for what an earlier try of the same `key` created (the pull request
 * of the branch, the comment carrying `marker`) and updates or returns that instead.
 * @public
 */
export interface WriteBackRequest {
  /** The exactly-once key: (run, artifact digest, target operation). */
  key: string;
  /** A hidden HTML comment to end every body the target posts with, to find it again. */
  marker: string;
  repository: WriteBackRepository;
  operation: WriteBackOperation;
  artifact: {
    name: string;
    kind: string;
    digest: string;
    title?: string;
    run: string;
  };
  /**
   * Pushes the artifact's commit to `branch` of the repository's remote (a no-op when the branch
   * is there already), for operations that need the branch first (`pull-request`).
   */
  pushBranch(branch: string): Promise<WriteBackResult>;
  signal: AbortSignal;
  logger: LoggerService;
}

/**
 * Whether a target can write to a repository; when not, the reason names what to configure.
 * @public
 */
export type WriteBackSupport =
  | { supported: true }
  | { supported: false; reason: string };

/**
 * A failure a target reports. `retryable` ones (rate limits, 5xx, network) are tried again after
 * `retryAfterMs` (or a backoff); the others fail the write-back with the message.
 * @public
 */
export class WriteBackError extends Error {
  readonly name = 'WriteBackError';
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    options: {
      retryable?: boolean;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Where approved agent work is written: a git remote, a forge's pull requests and comments.
 * @public
 */
export interface AgentWriteBackTarget {
  /** Stable id that write-back requests name in `target`, e.g. `github`. */
  readonly id: string;
  readonly displayName: string;
  /** The operations it performs. */
  readonly operations: WriteBackOperationKind[];
  /** Whether it can write to `repository` (e.g. an integration is configured for its host). */
  supports(repository: WriteBackRepository): Promise<WriteBackSupport>;
  /** Performs the operation once (see {@link WriteBackRequest}); answers what it wrote. */
  apply(request: WriteBackRequest): Promise<WriteBackResult[]>;
}

/**
 * Lets modules register write-back targets with the agents backend.
 * @public
 */
export interface AgentsWriteBackExtensionPoint {
  addTarget(target: AgentWriteBackTarget): void;
}

/**
 * Extension point for write-back targets.
 * @public
 */
export const agentsWriteBackExtensionPoint =
  createExtensionPoint<AgentsWriteBackExtensionPoint>({
    id: 'agents.write-back',
  });
