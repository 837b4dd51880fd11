import { WriteBackOperationKind, WriteBackResult } from './writeBack';

/**
 * Where an org's configuration YAML is proposed (`agents.configurationRepositories`), and what
 * `GET /api/agents/configuration/proposals/targets?namespace=` answers: the repository, the folder
 * manifests go to and each registered target that can write there.
 * @public
 */
export interface ConfigurationProposalTargets {
  /** Absent when the org has no configuration repository; `reason` says what to configure. */
  repository?: string;
  path?: string;
  reason?: string;
  targets: Array<{
    target: string;
    displayName: string;
    /** `pull-request` where the target opens one, else `branch`. */
    operation: WriteBackOperationKind;
    available: boolean;
    reason?: string;
  }>;
}

/**
 * The body of `POST /api/agents/configuration/proposals`: a configuration object (as the editor
 * holds it, valid against its schema) to propose as a YAML file in the org's configuration
 * repository.
 * @public
 */
export interface ConfigurationProposalRequest {
  object: unknown;
  /** A target of {@link ConfigurationProposalTargets}; default the first available one. */
  target?: string;
  title?: string;
  body?: string;
}

/** @public */
export const CONFIGURATION_PROPOSAL_STATES = [
  'applying',
  'applied',
  'failed',
] as const;

/** @public */
export type ConfigurationProposalState =
  (typeof CONFIGURATION_PROPOSAL_STATES)[number];

/**
 * One proposal: the object's YAML, at `path` of `repository`, on `branch`, written once per
 * (object, YAML digest, target operation) — the same request again answers this record.
 * @public
 */
export interface ConfigurationProposal {
  key: string;
  namespace: string;
  kind: string;
  name: string;
  /** sha256 of the proposed YAML. */
  digest: string;
  repository: string;
  path: string;
  branch: string;
  target: string;
  operation: WriteBackOperationKind;
  state: ConfigurationProposalState;
  results?: WriteBackResult[];
  message?: string;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
}
