import { useApi } from '@backstage/core-plugin-api';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import { useState } from 'react';
import { agentsApiRef } from '../../api';
import { useActionAvailability } from '../../hooks/useActionAvailability';
import { serverMessage } from '../../lib/serverMessage';
import { GatedButton } from '../GatedButton';
import { ConfirmActionDialog } from '../RunActions/ConfirmActionDialog';

export interface SessionContinueProps {
  /** The session's latest run: a continue adds an attempt to it in the same runtime session. */
  run: AgentDispatchRun;
  onDone: (run: AgentDispatchRun) => void;
}

/**
 * Continues the session with a follow-up prompt, through the continue action of its latest run.
 * Enabled when the server says the run may be continued now (its phase, the runtime, the
 * caller's `agents.run.continue`), with the reason on hover otherwise.
 */
export const SessionContinue = ({ run, onDone }: SessionContinueProps) => {
  const agentsApi = useApi(agentsApiRef);
  const { name, namespace, resourceVersion } = run.metadata;
  const gates = useActionAvailability(
    () => agentsApi.getRunActions(name, { namespace }),
    [agentsApi, name, namespace, resourceVersion, JSON.stringify(run.status)],
  );
  const [open, setOpen] = useState(false);
  const [refusal, setRefusal] = useState<string>();

  const perform = async (prompt?: string) => {
    setRefusal(undefined);
    try {
      const updated = await agentsApi.runAction(name, 'continue', {
        namespace,
        prompt,
      });
      setOpen(false);
      onDone(updated);
    } catch (error) {
      setRefusal(serverMessage(error));
    }
  };

  return (
    <>
      <GatedButton
        variant="contained"
        color="primary"
        reason={gates.reasonOf('continue')}
        hint={`Starts a new attempt of ${name} in this session with your follow-up prompt.`}
        onClick={() => {
          setRefusal(undefined);
          setOpen(true);
        }}
      >
        Continue
      </GatedButton>
      {open && (
        <ConfirmActionDialog
          run={run}
          action="continue"
          permission={gates.permissionOf('continue')}
          refusal={refusal}
          onCancel={() => setOpen(false)}
          onConfirm={perform}
        />
      )}
    </>
  );
};
