import { useApi } from '@backstage/core-plugin-api';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import { useState } from 'react';
import { agentsApiRef, RunAction } from '../../api';
import { useActionAvailability } from '../../hooks/useActionAvailability';
import { serverMessage } from '../../lib/serverMessage';
import { ACTION_EFFECTS, RUN_ACTIONS } from './actionRules';
import { GatedButton } from '../GatedButton';
import { ConfirmActionDialog } from './ConfirmActionDialog';

export interface RunActionsProps {
  run: AgentDispatchRun;
  /** Called with the run as the action left it. */
  onDone: (run: AgentDispatchRun) => void;
}

const label = (action: RunAction) =>
  action.charAt(0).toUpperCase() + action.slice(1);

/**
 * Cancel, retry, resume, fork and continue, each confirmed first. Whether each is available, and
 * why not, is the server's answer for the run as it is now; refusals on click show its reason too.
 */
export const RunActions = ({ run, onDone }: RunActionsProps) => {
  const agentsApi = useApi(agentsApiRef);
  const { name, namespace, resourceVersion } = run.metadata;
  const gates = useActionAvailability(
    () => agentsApi.getRunActions(name, { namespace }),
    [agentsApi, name, namespace, resourceVersion, JSON.stringify(run.status)],
  );
  const [pending, setPending] = useState<RunAction>();
  const [refusal, setRefusal] = useState<string>();

  const open = (action: RunAction) => {
    setRefusal(undefined);
    setPending(action);
  };
  const perform = async (action: RunAction, prompt?: string) => {
    setRefusal(undefined);
    try {
      const updated = await agentsApi.runAction(name, action, {
        namespace,
        ...(prompt !== undefined ? { prompt } : {}),
      });
      setPending(undefined);
      onDone(updated);
    } catch (error) {
      setRefusal(serverMessage(error));
    }
  };

  return (
    <Box
      display="flex"
      gridGap={8}
      flexWrap="wrap"
      role="group"
      aria-label="Run actions"
    >
      {RUN_ACTIONS.map(action => (
        <GatedButton
          key={action}
          variant="outlined"
          color={action === 'cancel' ? 'secondary' : 'default'}
          reason={gates.reasonOf(action)}
          hint={ACTION_EFFECTS[action]}
          onClick={() => open(action)}
        >
          {label(action)}
        </GatedButton>
      ))}
      {pending && (
        <ConfirmActionDialog
          run={run}
          action={pending}
          permission={gates.permissionOf(pending)}
          refusal={refusal}
          onCancel={() => setPending(undefined)}
          onConfirm={prompt => perform(pending, prompt)}
        />
      )}
    </Box>
  );
};
