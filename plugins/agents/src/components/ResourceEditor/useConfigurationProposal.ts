import { useApi } from '@backstage/core-plugin-api';
import { ConfigurationProposal } from '@krate/plugin-agents-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { AgentsResource, agentsApiRef } from '../../api';
import { serverMessage } from '../../lib/serverMessage';

/** What the editor's "Open a pull request" action shows and does for the draft's org. */
export interface ConfigurationProposalAction {
  /** "Open a pull request", or "Push to a branch" where no forge target can open one. */
  label: string;
  /** Why it cannot be used (no configuration repository, no target); undefined when it can. */
  unavailable?: string;
  busy: boolean;
  propose(): Promise<void>;
  outcome?: { proposal?: ConfigurationProposal; error?: string };
}

export function useConfigurationProposal(
  draft: AgentsResource,
): ConfigurationProposalAction {
  const agentsApi = useApi(agentsApiRef);
  const namespace = draft.metadata?.namespace ?? '';
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] =
    useState<ConfigurationProposalAction['outcome']>();
  const targets = useAsync(
    async () =>
      namespace ? agentsApi.configurationProposalTargets(namespace) : undefined,
    [agentsApi, namespace],
  );
  const choice = targets.value?.targets.find(t => t.available);
  const label =
    choice?.operation === 'branch' ? 'Push to a branch' : 'Open a pull request';
  let unavailable: string | undefined;
  if (!namespace) {
    unavailable = 'Give the object a namespace first';
  } else if (targets.loading) {
    unavailable = 'Reading where configuration is proposed…';
  } else if (targets.error) {
    unavailable = `Cannot read where configuration is proposed: ${targets.error.message}`;
  } else if (!targets.value?.repository) {
    unavailable = targets.value?.reason ?? 'No configuration repository';
  } else if (!choice) {
    unavailable =
      targets.value.targets[0]?.reason ??
      `No write-back target can write to ${targets.value.repository}`;
  }

  const propose = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const proposal = await agentsApi.proposeConfiguration({
        object: draft,
        ...(choice ? { target: choice.target } : {}),
      });
      setOutcome({ proposal });
    } catch (error) {
      setOutcome({ error: serverMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return { label, unavailable, busy, propose, outcome };
}
