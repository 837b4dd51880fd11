import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { MemoryUpdatePhase } from '../../api';

const STATUS_OF: Record<MemoryUpdatePhase, typeof StatusOK> = {
  Proposed: StatusPending,
  Approved: StatusWarning,
  Merged: StatusOK,
  Rejected: StatusAborted,
  Conflict: StatusError,
};

/** A proposal's phase as a status: waiting, approved (not merged yet), merged, rejected, conflict. */
export const MemoryUpdatePhaseChip = ({ phase }: { phase?: string }) => {
  const label = phase ?? 'Proposed';
  const Status = STATUS_OF[label as MemoryUpdatePhase] ?? StatusPending;
  return <Status aria-label={`Phase ${label}`}>{label}</Status>;
};
