import { LoggerService } from '@backstage/backend-plugin-api';
import { LaunchProfile, LaunchSecrets } from '@krate/plugin-agents-node';
import { ApprovalService } from '../approvals/ApprovalService';
import { AttemptLeases } from '../database/AttemptLeases';
import { RunEventLog } from '../database/RunEventLog';
import { ResourceStore } from '../resources/ResourceStore';
import { RuntimeRegistry } from '../runtimes/RuntimeRegistry';
import { ContextAssembler } from './ContextAssembler';
import { Redactor } from './Redactor';
import { WorkingDirectories } from './WorkingDirectories';
import type { ArtifactCollector } from '../writeback/ArtifactCollector';
import type { RunMemoryImports } from '../memory/updates/RunMemoryImports';
import type { MemoryRequester } from '../memory/context/MemoryRequester';
import type { RunMemory } from '../memory/context/RunMemory';
import type { BudgetPolicy } from '../budgets/BudgetPolicy';

/** What the dispatch service, the worker and each attempt execution share. */
export interface DispatchParts {
  store: ResourceStore;
  events: RunEventLog;
  leases: AttemptLeases;
  runtimes: RuntimeRegistry;
  approvals: ApprovalService;
  redactor: Redactor;
  contexts: ContextAssembler;
  directories: WorkingDirectories;
  logger: LoggerService;
  /** Takes review artifacts from a run's workspace when an attempt ends. */
  artifacts?: ArtifactCollector;
  /** Proposes what a succeeded attempt wrote under `.krate/memory/` as a memory update. */
  memoryImports?: RunMemoryImports;
  /** Resolves and reads runs' memory; without it a run that asks for memory is refused. */
  memory?: RunMemory;
  /** Who reads memory for runs nobody dispatched by hand (trigger rules). */
  memoryRequester?: MemoryRequester;
  /** Budgets: prices costs, keeps the spend ledger, refuses or holds dispatches that go over. */
  budgets?: BudgetPolicy;
  /** Reads the values granted to an attempt's consumers at launch; none are injected without it. */
  launchSecrets?: {
    resolve(org: string, profile: LaunchProfile): Promise<LaunchSecrets>;
  };
}

export const DISPATCHER_ACTOR = 'agents:dispatcher';
