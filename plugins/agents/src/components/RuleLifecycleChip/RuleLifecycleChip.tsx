import { AgentTriggerRule } from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';

export interface RuleLifecycleChipProps {
  lifecycle: AgentTriggerRule['spec']['lifecycle'];
}

/** A trigger rule's lifecycle; only `active` stands out, since only active rules dispatch. */
export const RuleLifecycleChip = ({ lifecycle }: RuleLifecycleChipProps) => {
  const label = lifecycle ?? 'draft';
  return (
    <Chip
      size="small"
      label={label}
      color={label === 'active' ? 'primary' : 'default'}
      variant={label === 'active' ? 'default' : 'outlined'}
      aria-label={`Lifecycle ${label}`}
    />
  );
};
