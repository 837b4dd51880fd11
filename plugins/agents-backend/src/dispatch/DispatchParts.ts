import { LoggerService } from '@backstage/backend-plugin-api';
import { ApprovalService } from '../approvals/ApprovalService';
import { AttemptLeases } from '../database/AttemptLeases';
import { RunEventLog } from '../database/RunEventLog';
import { ResourceStore } from '../resources/ResourceStore';
import { RuntimeRegistry } from '../runtimes/RuntimeRegistry';
import { ContextAssembler } from './ContextAssembler';
import { Redactor } from './Redactor';
import { WorkingDirectories } from './WorkingDirectories';
import type { ArtifactCollector } from '../writeback/ArtifactCollector';

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
}

export const DISPATCHER_ACTOR = 'agents:dispatcher';
