import {
  WriteBackOperationKind,
  WriteBackResult,
} from '@krate/plugin-agents-common';
import { WriteBackError, WriteBackRequest } from '@krate/plugin-agents-node';
import { ForgeOperation, ForgeTarget } from './ForgeOperation';
import { ForgeRepositoryApi } from './ForgeRepositoryApi';
import { openPullRequest } from './openPullRequest';
import { postMarkedComment } from './postMarkedComment';
import { postMarkedReview } from './postMarkedReview';

type OperationsByKind<Api extends ForgeRepositoryApi> = Partial<
  Record<WriteBackOperationKind, ForgeOperation<Api>>
>;

/** The write-back operations a forge target performs, by kind. */
export class ForgeOperations<Api extends ForgeRepositoryApi> {
  readonly #byKind: OperationsByKind<Api>;

  constructor(byKind: OperationsByKind<Api>) {
    this.#byKind = byKind;
  }

  /** These operations and `more`, for a forge whose API offers more. */
  with<Richer extends Api>(
    more: OperationsByKind<Richer>,
  ): ForgeOperations<Richer> {
    return new ForgeOperations<Richer>({ ...this.#byKind, ...more });
  }

  /** The kinds of write-back performed, in the order they were given. */
  kinds(): WriteBackOperationKind[] {
    return Object.keys(this.#byKind) as WriteBackOperationKind[];
  }

  /** Performs `request` with the operation of its kind; refuses a kind it does not perform. */
  apply(
    api: Api,
    request: WriteBackRequest,
    target: ForgeTarget,
  ): Promise<WriteBackResult[]> {
    const kind = request.operation.operation;
    const perform = this.#byKind[kind];
    if (!perform) {
      throw new WriteBackError(
        `The ${target.displayName} target does not perform ${kind} write-backs`,
      );
    }
    return perform(api, request, target);
  }
}

/** What every forge does: pull requests, reviews and comments. */
export const FORGE_OPERATIONS = new ForgeOperations<ForgeRepositoryApi>({
  'pull-request': openPullRequest,
  review: postMarkedReview,
  comment: postMarkedComment,
  'issue-comment': postMarkedComment,
});
