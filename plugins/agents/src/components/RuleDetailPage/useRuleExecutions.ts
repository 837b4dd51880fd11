import { useApi } from '@backstage/core-plugin-api';
import {
  AgentTriggerExecution,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import { agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';

/** How many of a rule's executions the page shows. */
export const RECENT_EXECUTIONS = 25;

export interface RuleExecutions {
  /** Newest first, as the list route answers execution records. */
  items: AgentTriggerExecution[];
  /** Older executions exist. */
  more: boolean;
}

/** The newest executions a rule recorded, found by its label. */
export function useRuleExecutions(
  namespace: string,
  rule: string,
  pollIntervalMs?: number,
) {
  const agentsApi = useApi(agentsApiRef);
  return useLivePolling(
    async (): Promise<RuleExecutions> => {
      const page = await agentsApi.listResources('agenttriggerexecutions', {
        namespace,
        labelSelector: `${TRIGGER_RULE_LABEL}=${rule}`,
        limit: RECENT_EXECUTIONS,
      });
      return {
        items: page.items as unknown as AgentTriggerExecution[],
        more: Boolean(page.metadata.continue),
      };
    },
    [agentsApi, namespace, rule],
    {
      kinds: ['AgentTriggerExecution'],
      // Executions are named after their rule (cut to 36 or 40 characters) and a suffix.
      matches: signal =>
        signal.namespace === namespace &&
        signal.name.startsWith(rule.slice(0, 36)),
      intervalMs: pollIntervalMs,
    },
  );
}
