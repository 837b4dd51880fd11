import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AgentDispatchAttempt,
  AgentDispatchRun,
  AgentReviewArtifact,
} from '@krate/plugin-agents-common';
import { DispatchService } from '../dispatch/DispatchService';
import { patchStatus } from '../dispatch/patchStatus';
import { ResourceStore } from '../resources/ResourceStore';
import { COLLECTOR_ACTOR } from './ArtifactCollector';
import { WriteBackLedger } from './WriteBackLedger';

/** A pull request review that asks for changes, as a forge's webhook tells it. */
export interface ChangesRequested {
  namespace: string;
  repository: string;
  pullRequest: number;
  reviewer?: string;
  body?: string;
  url?: string;
}

/** The longest review text carried into a follow-up prompt. */
const MAX_REVIEW_TEXT = 16_000;

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let at = value;
  for (const key of path) {
    at = at && typeof at === 'object' ? (at as any)[key] : undefined;
  }
  return typeof at === 'string' ? at : undefined;
}

/**
 * Reads a webhook delivery as a "changes requested" review: GitHub's `pull_request_review`
 * `submitted` with state `changes_requested`, or Gitea's `pull_request_review_rejected`.
 */
export function changesRequestedOf(delivery: {
  eventType: string;
  namespace: string;
  repository?: string;
  payload: Record<string, unknown>;
}): ChangesRequested | undefined {
  const { payload } = delivery;
  const github =
    delivery.eventType === 'pull_request_review.submitted' &&
    stringAt(payload, 'review', 'state')?.toLowerCase() === 'changes_requested';
  const gitea = delivery.eventType.startsWith('pull_request_review_rejected');
  const number =
    (payload.pull_request as any)?.number ?? (payload as any).number;
  if (
    !(github || gitea) ||
    !delivery.repository ||
    !Number.isSafeInteger(number)
  ) {
    return undefined;
  }
  return {
    namespace: delivery.namespace,
    repository: delivery.repository,
    pullRequest: number,
    reviewer:
      stringAt(payload, 'review', 'user', 'login') ??
      stringAt(payload, 'sender', 'login'),
    body:
      stringAt(payload, 'review', 'body') ??
      stringAt(payload, 'review', 'content'),
    url:
      stringAt(payload, 'review', 'html_url') ??
      stringAt(payload, 'pull_request', 'html_url'),
  };
}

/**
 * What a review that requests changes does to the agent work behind its pull request: the
 * artifact that opened or last updated the pull request becomes `changes-requested` (it is not
 * written back again), the run shows the review, and — when the stack's
 * `writeBackPolicy.onChangesRequested` is `continue` — a continue attempt works the review on the
 * same workspace and session. Its new diff supersedes the artifact and is requested for the same
 * pull request (see WriteBackService.followUp).
 */
export class ReviewFeedback {
  readonly #store: ResourceStore;
  readonly #ledger: WriteBackLedger;
  readonly #dispatch: Pick<DispatchService, 'act'>;
  readonly #logger: LoggerService;

  constructor(options: {
    store: ResourceStore;
    ledger: WriteBackLedger;
    dispatch: Pick<DispatchService, 'act'>;
    logger: LoggerService;
  }) {
    this.#store = options.store;
    this.#ledger = options.ledger;
    this.#dispatch = options.dispatch;
    this.#logger = options.logger;
  }

  /** Handles a delivery if it is a changes-requested review of a pull request we wrote. */
  async onDelivery(delivery: {
    eventType: string;
    namespace: string;
    repository?: string;
    payload: Record<string, unknown>;
  }): Promise<void> {
    const review = changesRequestedOf(delivery);
    if (!review) {
      return;
    }
    const entry = await this.#writeOf(review);
    if (!entry) {
      return;
    }
    const message = `Changes requested${
      review.reviewer ? ` by ${review.reviewer}` : ''
    } on pull request #${review.pullRequest}${
      review.body ? `: ${review.body.slice(0, 500)}` : ''
    }`;
    const artifact = (await patchStatus(
      this.#store,
      {
        kind: 'AgentReviewArtifact',
        namespace: entry.namespace,
        name: entry.artifact,
      },
      status =>
        status.state === 'applied'
          ? { ...status, state: 'changes-requested', message }
          : status,
      COLLECTOR_ACTOR,
    )) as AgentReviewArtifact;
    if (artifact.status?.state !== 'changes-requested') {
      return;
    }
    const run = (await patchStatus(
      this.#store,
      { kind: 'AgentDispatchRun', namespace: entry.namespace, name: entry.run },
      status => ({
        ...status,
        review: {
          state: 'ReviewChangesRequested',
          artifact: entry.artifact,
          pullRequest: review.pullRequest,
          message,
          ...(review.url ? { url: review.url } : {}),
          time: new Date().toISOString(),
        },
      }),
      COLLECTOR_ACTOR,
    )) as AgentDispatchRun;
    if ((await this.#policyOf(run))?.onChangesRequested !== 'continue') {
      return;
    }
    try {
      await this.#dispatch.act(run, 'continue', {
        actor: COLLECTOR_ACTOR,
        prompt: [
          `A reviewer requested changes on pull request #${review.pullRequest}${
            review.url ? ` (${review.url})` : ''
          }${review.reviewer ? `, by ${review.reviewer}` : ''}.`,
          'Address the review in the same workspace; your new diff updates the same pull request.',
          '',
          'The review:',
          (review.body || '(no text)').slice(0, MAX_REVIEW_TEXT),
        ].join('\n'),
      });
    } catch (error) {
      this.#logger.warn(
        `Could not continue run ${entry.run} after the review of #${review.pullRequest}: ${error}`,
      );
    }
  }

  /** The newest applied write-back of the reviewed pull request, in its repository. */
  async #writeOf(review: ChangesRequested) {
    for (const entry of await this.#ledger.pullRequestWrites(
      review.namespace,
      review.pullRequest,
    )) {
      const artifact = (await this.#store.get(
        'AgentReviewArtifact',
        entry.namespace,
        entry.artifact,
      )) as AgentReviewArtifact | undefined;
      if (artifact?.spec.repository === review.repository) {
        return entry;
      }
    }
    return undefined;
  }

  async #policyOf(run: AgentDispatchRun) {
    const attempt = run.status?.currentAttempt
      ? ((await this.#store.get(
          'AgentDispatchAttempt',
          run.metadata.namespace,
          run.status.currentAttempt,
        )) as AgentDispatchAttempt | undefined)
      : undefined;
    return (attempt?.spec.launchProfile as any)?.writeBackPolicy as
      | { onChangesRequested?: string }
      | undefined;
  }
}
