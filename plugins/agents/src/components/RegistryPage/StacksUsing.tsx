import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { stacksUsing, UsesObject } from './stacksUsing';

export interface StacksUsingProps {
  namespace: string;
  /** The object in words, e.g. "this tool profile". */
  what: string;
  uses: UsesObject;
  /** Whether subagents can use the object too (tool profiles and skills). */
  throughSubagents?: boolean;
  pollIntervalMs: number;
}

/** The stacks of the org that use an object, each linking to its page, and through which subagents. */
export const StacksUsing = ({
  namespace,
  what,
  uses,
  throughSubagents = false,
  pollIntervalMs,
}: StacksUsingProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const users = useLivePolling(
    async () => {
      const [stacks, subagents] = await Promise.all([
        agentsApi.listResources('agentstacks', { namespace, limit: 500 }),
        throughSubagents
          ? agentsApi.listResources('agentsubagents', { namespace, limit: 500 })
          : { items: [] },
      ]);
      return stacksUsing(stacks.items, subagents.items, uses);
    },
    // `uses` is rebuilt on each render with the same meaning; the object it names is in `what`.
    [agentsApi, namespace, what, throughSubagents],
    { kinds: ['AgentStack'], intervalMs: pollIntervalMs },
  );

  let body;
  if (users.loading) {
    body = <Progress />;
  } else if (!users.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list the stacks"
        error={users.error!}
      />
    );
  } else if (!users.value.length) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No stack in {namespace} uses {what}.
      </Typography>
    );
  } else {
    body = (
      <ul aria-label="Stacks using it" style={{ margin: 0, paddingLeft: 20 }}>
        {users.value.map(use => (
          <li key={use.stack}>
            <Link to={paths.stack(namespace, use.stack)}>{use.stack}</Link>
            {use.subagents.length > 0 && (
              <Typography
                variant="body2"
                component="span"
                color="textSecondary"
              >
                {use.direct ? ' directly and' : ''} through subagent
                {use.subagents.length > 1 ? 's' : ''} {use.subagents.join(', ')}
              </Typography>
            )}
          </li>
        ))}
      </ul>
    );
  }
  return <InfoCard title="Stacks using it">{body}</InfoCard>;
};
