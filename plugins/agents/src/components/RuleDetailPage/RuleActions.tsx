import { useApi } from '@backstage/core-plugin-api';
import {
  agentsResourcePermission,
  AgentTriggerRule,
  TRIGGER_RULE_LIFECYCLES,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { agentsApiRef } from '../../api';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { serverMessage } from '../../lib/serverMessage';
import { GatedButton } from '../GatedButton';

export interface RuleActionsProps {
  rule: AgentTriggerRule;
  onEdit: () => void;
  /** Called after the lifecycle was changed, to read the rule again. */
  onChanged: () => void;
}

/**
 * Edit the rule, or move it through its lifecycle (activate, pause, …) with a merge patch of
 * `spec.lifecycle` alone, so an edit made meanwhile elsewhere is kept. Both are disabled, with
 * the reason, while the caller may not update the rule.
 */
export const RuleActions = ({ rule, onEdit, onChanged }: RuleActionsProps) => {
  const agentsApi = useApi(agentsApiRef);
  const { namespace, name } = rule.metadata;
  const forbidden = usePermissionGate(
    agentsResourcePermission('AgentTriggerRule', 'update'),
    resourceRefOf('AgentTriggerRule', namespace, name),
    `edit trigger rule ${namespace}/${name}`,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const changeLifecycle = async (lifecycle: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await agentsApi.patchResource('agenttriggerrules', namespace, name, {
        spec: { lifecycle },
      });
      onChanged();
    } catch (e) {
      setError(`Could not make the rule ${lifecycle}: ${serverMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
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
        <TextField
          select
          id="rule-lifecycle"
          label="Lifecycle"
          variant="outlined"
          size="small"
          style={{ minWidth: 160 }}
          value={rule.spec.lifecycle ?? 'draft'}
          disabled={Boolean(forbidden) || busy}
          helperText="Only active rules dispatch"
          onChange={e => changeLifecycle(e.target.value)}
        >
          {TRIGGER_RULE_LIFECYCLES.map(lifecycle => (
            <MenuItem key={lifecycle} value={lifecycle}>
              {lifecycle}
            </MenuItem>
          ))}
        </TextField>
        {forbidden && (
          <Typography variant="body2" color="textSecondary">
            Edit and lifecycle are disabled: {forbidden}
          </Typography>
        )}
      </Box>
      {error && <Alert severity="error">{error}</Alert>}
    </Box>
  );
};
