import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  AgentMemoryUpdate,
} from '@krate/plugin-agents-common';
import { randomSuffix } from '../../dispatch/names';
import { ResourceStore } from '../../resources/ResourceStore';
import { MemoryService } from '../MemoryService';
import { MemoryReader } from '../visibility';
import { CommitIdentities } from './commitIdentities';
import { mergeUpdate } from './mergeUpdate';
import { MemoryPlumbing } from './MemoryPlumbing';
import {
  checkMemoryPath,
  MAX_PATCH_BYTES,
  ProposalInput,
  ReviewDecision,
} from './proposalInput';
import { introducedIssues, isMemoryFile } from './proposalValidation';
import {
  maySeeProposal,
  MEMORY_VISIBILITY_ANNOTATION,
  touchedVisibilities,
} from './proposalVisibility';

const KIND = 'AgentMemoryUpdate';

export interface ProposeOptions extends ProposalInput {
  source: AgentMemoryUpdate['spec']['source'];
  proposedBy: string;
  /** A fixed name makes the proposal once: a second propose with it answers the first. */
  name?: string;
  /** When given, a proposal touching a record this reader may not see is refused. */
  reader?: MemoryReader;
}

export interface ListUpdatesOptions {
  phase?: string;
  limit: number;
  continueToken?: string;
}

/**
 * Proposed updates of the orgs' memories as AgentMemoryUpdate records: proposals checked against
 * their base and the ontology, reviews, and merges made as git commits authored by the approver.
 * Nothing reaches a memory branch any other way.
 */
export class MemoryUpdates {
  readonly #store: ResourceStore;
  readonly #memory: MemoryService;
  readonly #plumbing = new Map<string, MemoryPlumbing>();
  readonly #identities: CommitIdentities;
  readonly #allowSelfReview: boolean;
  /** Merges of one org, one at a time on this instance; other instances meet the branch's CAS. */
  readonly #merging = new Map<string, Promise<unknown>>();

  constructor(options: {
    store: ResourceStore;
    memory: MemoryService;
    identities: CommitIdentities;
    allowSelfReview?: boolean;
  }) {
    this.#store = options.store;
    this.#memory = options.memory;
    this.#identities = options.identities;
    this.#allowSelfReview = options.allowSelfReview ?? false;
  }

  hasMemory(org: string): boolean {
    return this.#memory.orgs.includes(org);
  }

  #git(org: string): MemoryPlumbing {
    let plumbing = this.#plumbing.get(org);
    if (!plumbing) {
      // Throws NotFoundError for an org without memory.
      const source = this.#memory.source(org);
      plumbing = new MemoryPlumbing(source.repositoryPath, source.branch);
      this.#plumbing.set(org, plumbing);
    }
    return plumbing;
  }

  async get(org: string, name: string): Promise<AgentMemoryUpdate> {
    const update = await this.#store.get(KIND, org, name);
    if (!update) {
      throw new NotFoundError(`${KIND} ${org}/${name} not found`);
    }
    return update as AgentMemoryUpdate;
  }

  /** Newest first; proposals touching records the reader may not see are counted, not listed. */
  async list(org: string, reader: MemoryReader, options: ListUpdatesOptions) {
    this.#git(org);
    const page = await this.#store.list(KIND, {
      namespace: org,
      limit: options.limit,
      continueToken: options.continueToken,
      fieldFilters: options.phase ? { phase: options.phase } : {},
    });
    const items = (page.items as AgentMemoryUpdate[]).filter(update =>
      maySeeProposal(update, reader),
    );
    return {
      items,
      withheld: page.items.length - items.length,
      ...(page.continueToken ? { continue: page.continueToken } : {}),
    };
  }

  maySee(update: AgentMemoryUpdate, reader: MemoryReader): boolean {
    return maySeeProposal(update, reader);
  }

  async propose(options: ProposeOptions): Promise<AgentMemoryUpdate> {
    const { org } = options;
    const git = this.#git(org);
    if (options.name) {
      const existing = await this.#store.get(KIND, org, options.name);
      if (existing) return existing as AgentMemoryUpdate;
    }
    const base = await this.#baseOf(git, options.baseCommit);
    const field = options.patch !== undefined ? 'patch' : 'changes';
    let tree: string;
    if (options.patch !== undefined) {
      const applied = await git.applyPatch(base, options.patch);
      if (!applied.applied) {
        throw new InputError(
          `patch: does not apply to ${base}: ${applied.message}`,
        );
      }
      tree = applied.tree;
    } else {
      tree = await git.treeWithChanges(base, options.changes ?? []);
    }
    const files = await git.changedFiles(base, tree);
    if (files.length === 0) {
      throw new InputError(`${field}: changes nothing at ${base}`);
    }
    files.forEach(file => checkMemoryPath(file.path, field));
    const patch = await git.diff(base, tree);
    if (Buffer.byteLength(patch) > MAX_PATCH_BYTES) {
      throw new InputError(`${field}: the patch is larger than 1 MiB`);
    }
    const { snapshot } = await this.#memory.snapshot(org, { ref: base });
    const texts = await this.#changedTexts(git, tree, files);
    const visibilities = touchedVisibilities(snapshot, texts);
    const annotations: Record<string, string> = visibilities.length
      ? { [MEMORY_VISIBILITY_ANNOTATION]: JSON.stringify(visibilities) }
      : {};
    if (
      options.reader &&
      !maySeeProposal({ metadata: { annotations } }, options.reader)
    ) {
      throw new NotAllowedError(
        `${field}: the change touches records you may not see (${visibilities.join(
          ', ',
        )}); ask a member of that team to propose it`,
      );
    }
    const issues = introducedIssues(snapshot, texts);
    const update: AgentMemoryUpdate = {
      apiVersion: AGENTS_API_GROUP_VERSION,
      kind: KIND,
      metadata: {
        name: options.name ?? proposalName(options.title),
        namespace: org,
        ...(visibilities.length ? { annotations } : {}),
      },
      spec: {
        title: options.title,
        ...(options.description ? { description: options.description } : {}),
        baseCommit: base,
        patch,
        files,
        source: options.source,
        proposedBy: options.proposedBy,
      },
      status: {
        phase: 'Proposed',
        message: issues.length
          ? `The change would introduce ${issues.length} ontology issue(s); it cannot be approved as it is`
          : 'Waiting for review',
        validation: { valid: issues.length === 0, commit: base, issues },
        reviews: [],
      },
    };
    try {
      return (await this.#store.create(update, {
        actor: options.proposedBy,
      })) as AgentMemoryUpdate;
    } catch (error) {
      if (options.name && error instanceof ConflictError) {
        return this.get(org, options.name);
      }
      throw error;
    }
  }

  async #baseOf(git: MemoryPlumbing, baseCommit?: string): Promise<string> {
    if (baseCommit !== undefined) {
      if (!(await git.isCommit(baseCommit))) {
        throw new InputError(
          `baseCommit: the memory has no commit ${baseCommit}`,
        );
      }
      return baseCommit;
    }
    const branch = await git.branch();
    const head = await git.head(branch);
    if (!head) {
      throw new ConflictError(`the memory has no commits on ${branch} yet`);
    }
    return head;
  }

  async #changedTexts(
    git: MemoryPlumbing,
    tree: string,
    files: { path: string; change: string }[],
  ) {
    const memoryFiles = files.filter(file => isMemoryFile(file.path));
    const read = await git.readFiles(
      tree,
      memoryFiles.filter(f => f.change !== 'deleted').map(f => f.path),
    );
    return new Map(
      memoryFiles.map(file => [file.path, read.get(file.path) ?? null]),
    );
  }

  /**
   * Records a review. Reviews are appended under the record's lock, so two at once both stay;
   * a decided proposal takes none, the proposer cannot approve their own (unless configured) and
   * a proposal that breaks the ontology cannot be approved.
   */
  async review(options: {
    org: string;
    name: string;
    reviewer: string;
    decision: ReviewDecision;
    comment?: string;
  }): Promise<AgentMemoryUpdate> {
    const { org, name, reviewer, decision } = options;
    const update = await this.get(org, name);
    if (
      decision === 'approve' &&
      !this.#allowSelfReview &&
      update.spec.proposedBy === reviewer
    ) {
      throw new NotAllowedError(
        `${reviewer} proposed ${org}/${name} and cannot approve it; another reviewer must (or set agents.memory.allowSelfReview)`,
      );
    }
    return (await this.#store.patchStatus(
      { kind: KIND, namespace: org, name },
      status => {
        const phase = status.phase ?? 'Proposed';
        if (phase === 'Merged' || phase === 'Rejected') {
          throw new ConflictError(
            `${org}/${name} is ${phase}; it takes no more reviews`,
          );
        }
        const issues = status.validation?.issues?.length ?? 0;
        if (decision === 'approve' && status.validation?.valid === false) {
          throw new ConflictError(
            `${org}/${name} cannot be approved: its validation found ${issues} ontology issue(s); propose a corrected change`,
          );
        }
        return {
          ...status,
          phase: decision === 'approve' ? 'Approved' : 'Rejected',
          message: `${
            decision === 'approve' ? 'Approved' : 'Rejected'
          } by ${reviewer}`,
          reviews: [
            ...(status.reviews ?? []),
            {
              reviewer,
              decision: decision === 'approve' ? 'approved' : 'rejected',
              ...(options.comment ? { comment: options.comment } : {}),
              time: new Date().toISOString(),
            },
          ],
        };
      },
      { actor: reviewer },
    )) as AgentMemoryUpdate;
  }

  /**
   * Merges an approved proposal as one commit on the memory branch, or marks it Conflict. A merge
   * retried after its commit landed finds that commit by its trailer and records it instead.
   */
  async merge(options: {
    org: string;
    name: string;
    mergedBy: string;
  }): Promise<AgentMemoryUpdate> {
    const { org } = options;
    const previous = this.#merging.get(org) ?? Promise.resolve();
    const merging = previous
      .catch(() => undefined)
      .then(() => this.#merge(options));
    this.#merging.set(org, merging);
    try {
      return await merging;
    } finally {
      if (this.#merging.get(org) === merging) this.#merging.delete(org);
    }
  }

  async #merge(options: {
    org: string;
    name: string;
    mergedBy: string;
  }): Promise<AgentMemoryUpdate> {
    const { org, name, mergedBy } = options;
    const update = await this.get(org, name);
    const phase = update.status?.phase ?? 'Proposed';
    if (phase !== 'Approved') {
      throw new ConflictError(
        phase === 'Merged'
          ? `${org}/${name} is merged already, as ${update.status?.mergedCommit}`
          : `${org}/${name} is ${phase}; only an approved proposal can be merged`,
      );
    }
    const outcome = await mergeUpdate({
      git: this.#git(org),
      memory: this.#memory,
      identities: this.#identities,
      update,
      mergedBy,
    });
    const ref = { kind: KIND, namespace: org, name };
    return (await this.#store.patchStatus(
      ref,
      status => {
        if (status.phase === 'Merged') return status;
        if (outcome.merged) {
          return {
            ...status,
            phase: 'Merged',
            message: `Merged as ${outcome.commit} by ${mergedBy}`,
            mergedCommit: outcome.commit,
            mergedBy,
            mergeTime: new Date().toISOString(),
            ...(outcome.validation ? { validation: outcome.validation } : {}),
          };
        }
        return {
          ...status,
          phase: 'Conflict',
          message: outcome.message,
          ...(outcome.validation ? { validation: outcome.validation } : {}),
        };
      },
      { actor: mergedBy },
    )) as AgentMemoryUpdate;
  }
}

/** `<title words>-<8 random>`: readable in a list, unique in the org, a DNS label. */
function proposalName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${slug || 'update'}-${randomSuffix(8)}`;
}
