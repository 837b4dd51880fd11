import {
  agentsResourcePermission,
  AgentTriggerRule,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { GatedButton } from '../GatedButton';

export interface RuleActionsProps {
  rule: AgentTriggerRule;
  onEdit: () => void;
}

/** Edit the rule (disabled, with the reason, while the caller may not update it). */
export const RuleActions = ({ rule, onEdit }: RuleActionsProps) => {
  const { namespace, name } = rule.metadata;
  const forbidden = usePermissionGate(
    agentsResourcePermission('AgentTriggerRule', 'update'),
    resourceRefOf('AgentTriggerRule', namespace, name),
    `edit trigger rule ${namespace}/${name}`,
  );
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      gridGap={8}
      role="group"
      aria-label="Rule actions"
    >
      <GatedButton
        variant="outlined"
        reason={forbidden}
        hint="Opens the rule in the editor: form or YAML, applied like kubectl apply"
        onClick={onEdit}
      >
        Edit
      </GatedButton>
      {forbidden && (
        <Typography variant="body2" color="textSecondary">
          Edit is disabled: {forbidden}
        </Typography>
      )}
    </Box>
  );
};
