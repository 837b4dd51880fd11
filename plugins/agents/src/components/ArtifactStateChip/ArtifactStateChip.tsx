import { ArtifactState, WriteBackState } from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';
import { VOID_LABEL } from '../../lib/writeBackText';

const LABELS: Record<string, string> = {
  superseded: VOID_LABEL,
  void: VOID_LABEL,
  'changes-requested': 'changes requested',
  'awaiting-approval': 'awaiting approval',
};

const DONE = new Set(['approved', 'applied']);
const STOPPED = new Set([
  'failed',
  'rejected',
  'changes-requested',
  'superseded',
  'void',
]);

export interface ArtifactStateChipProps {
  /** An artifact's `status.state` or a write-back's state; `pending` when unknown. */
  state?: ArtifactState | WriteBackState | string;
  /** What the state is of, for its accessible name: `Artifact state applied`. */
  of?: string;
}

/** The state of a review artifact or one of its write-backs, as the server reports it. */
export const ArtifactStateChip = ({
  state = 'pending',
  of = 'Artifact',
}: ArtifactStateChipProps) => {
  const label = LABELS[state] ?? state;
  let color: 'default' | 'primary' | 'secondary' = 'default';
  if (DONE.has(state)) color = 'primary';
  else if (STOPPED.has(state)) color = 'secondary';
  return (
    <Chip
      size="small"
      label={label}
      color={color}
      variant={
        state === 'superseded' || state === 'void' ? 'outlined' : 'default'
      }
      aria-label={`${of} state ${label}`}
    />
  );
};
