import { useApi } from '@backstage/core-plugin-api';
import { AgentStack } from '@krate/plugin-agents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { AgentsApi, agentsApiRef, AgentsResource } from '../../api';
import { statusOf } from '../../lib/serverMessage';
import { preparedGrants, preparedServiceAccounts } from './preparedGrant';

/** Readiness reasons a prepared object can fix. */
export const FIXABLE_REASONS = [
  'MissingGrant',
  'MissingSecret',
  'MissingServiceAccount',
];

export interface ReadinessFixes {
  /** The prepared objects, each to open in the editor. */
  drafts: AgentsResource[];
  /** Why nothing is prepared, when nothing is. */
  note?: string;
}

async function readOptional(
  api: AgentsApi,
  plural: string,
  namespace: string,
  name: string,
): Promise<AgentsResource | undefined> {
  try {
    return await api.getResource(plural, namespace, name);
  } catch (e) {
    // A missing reference is reported by its own condition; it needs no grant.
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

async function readAll(
  api: AgentsApi,
  plural: string,
  namespace: string,
  names: string[] = [],
) {
  const objects = await Promise.all(
    [...new Set(names)].map(name => readOptional(api, plural, namespace, name)),
  );
  return objects.filter((o): o is AgentsResource => o !== undefined);
}

async function grantFixes(
  api: AgentsApi,
  stack: AgentStack,
  reason: string,
): Promise<ReadinessFixes> {
  if (!stack.spec.runtimeServiceAccountName) {
    return {
      drafts: [],
      note: 'Grants are given to the stack’s runtime identity: set spec.runtimeServiceAccountName to an agent AgentServiceAccount first.',
    };
  }
  const { namespace } = stack.metadata;
  const [mcpServers, skills, subagents, secretGrants, configGrants] =
    await Promise.all([
      readAll(api, 'agentmcpservers', namespace, stack.spec.mcpServers),
      readAll(api, 'agentskills', namespace, stack.spec.skills),
      readAll(api, 'agentsubagents', namespace, stack.spec.subagents),
      api.listResources('agentsecretgrants', { namespace, limit: 500 }),
      api.listResources('agentconfiggrants', { namespace, limit: 500 }),
    ]);
  const subagentSkills = await readAll(
    api,
    'agentskills',
    namespace,
    subagents.flatMap(s => (s.spec?.skills ?? []) as string[]),
  );
  const drafts = preparedGrants(
    stack,
    {
      mcpServers,
      skills: [...skills, ...subagentSkills],
      secretGrants: secretGrants.items,
      configGrants: configGrants.items,
    },
    new Date(),
  );
  if (drafts.length) return { drafts };
  return {
    drafts,
    note:
      reason === 'MissingSecret'
        ? 'Every key the stack needs is granted: the value itself is missing from the secret sources. The Secrets page shows which key and where.'
        : 'Every key the stack needs is granted now; the readiness changes once the controller checks the stack again.',
  };
}

async function serviceAccountFixes(
  api: AgentsApi,
  stack: AgentStack,
): Promise<ReadinessFixes> {
  const { namespace } = stack.metadata;
  const names = [
    stack.spec.runtimeServiceAccountName,
    stack.spec.runnerPolicy?.serviceAccountName,
  ].filter((name): name is string => Boolean(name));
  const existing = await readAll(api, 'agentserviceaccounts', namespace, names);
  const drafts = preparedServiceAccounts(stack, name =>
    existing.some(a => a.metadata.name === name),
  );
  return drafts.length
    ? { drafts }
    : {
        drafts,
        note: 'Every service account the stack names exists now; the readiness changes once the controller checks the stack again.',
      };
}

/**
 * The objects that would fix a readiness condition, prepared from the stack and the objects it
 * refers to as the API returns them (not from the condition's words): grants of the keys no
 * live grant covers, or the service accounts that do not exist. Read again when the stack or the
 * condition changes, and on `retry` (after an apply).
 */
export function useReadinessFixes(
  stack: AgentStack,
  reason: string,
  /** Changes whenever the condition does, e.g. its transition time and message. */
  conditionKey: string,
) {
  const agentsApi = useApi(agentsApiRef);
  const stackKey = JSON.stringify([stack.metadata, stack.spec]);
  return useAsyncRetry(
    () =>
      reason === 'MissingServiceAccount'
        ? serviceAccountFixes(agentsApi, stack)
        : grantFixes(agentsApi, stack, reason),
    // The stack object is new on every poll; only its content matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [agentsApi, stackKey, reason, conditionKey],
  );
}
