import { useApi } from '@backstage/core-plugin-api';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef, RunAction } from '../../api';
import { serverMessage } from '../../lib/serverMessage';
import { RUN_ACTIONS, unavailableReason } from './actionRules';
import { ConfirmActionDialog } from './ConfirmActionDialog';

export interface RunActionsProps {
  run: AgentDispatchRun;
  /** Called with the run as the action left it. */
  onDone: (run: AgentDispatchRun) => void;
}

/** Cancel, retry, resume, fork and continue, each confirmed first; refusals show the server's reason. */
export const RunActions = ({ run, onDone }: RunActionsProps) => {
  const agentsApi = useApi(agentsApiRef);
  const capabilities = useAsync(
    () => agentsApi.listCapabilities(),
    [agentsApi],
  );
  const runtime = capabilities.value?.items.find(
    r => r.id === run.status?.runtime,
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
      const updated = await agentsApi.runAction(run.metadata.name, action, {
        namespace: run.metadata.namespace,
        ...(prompt !== undefined ? { prompt } : {}),
      });
      setPending(undefined);
      onDone(updated);
    } catch (error) {
      setRefusal(serverMessage(error));
    }
  };

  return (
    <Box display="flex" gridGap={8} flexWrap="wrap">
      {RUN_ACTIONS.map(action => {
        const reason = unavailableReason(action, run, runtime);
        return (
          <Tooltip key={action} title={reason ?? ''}>
            <span>
              <Button
                variant="outlined"
                color={action === 'cancel' ? 'secondary' : 'default'}
                disabled={Boolean(reason)}
                onClick={() => open(action)}
              >
                {action.charAt(0).toUpperCase() + action.slice(1)}
              </Button>
            </span>
          </Tooltip>
        );
      })}
      {pending && (
        <ConfirmActionDialog
          run={run}
          action={pending}
          refusal={refusal}
          onCancel={() => setPending(undefined)}
          onConfirm={prompt => perform(pending, prompt)}
        />
      )}
    </Box>
  );
};
