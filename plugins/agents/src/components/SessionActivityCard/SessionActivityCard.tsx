import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { formatTime } from '../../lib/format';
import { groupSessions } from '../../lib/sessionGroups';
import { serverMessage } from '../../lib/serverMessage';
import { SessionStateChip } from '../SessionStateChip';

const RECENT = 5;
const LIMIT = 500;

/** Session activity on the overview: how many sessions are active, and the latest ones. */
export const SessionActivityCard = ({
  pollIntervalMs = 5000,
}: {
  pollIntervalMs?: number;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const activity = useLivePolling(
    async () => {
      const [active, recent] = await Promise.all([
        agentsApi.listSessions({ state: 'active', limit: LIMIT }),
        agentsApi.listSessions({ limit: 25 }),
      ]);
      return {
        active: `${groupSessions(active.items).length}${
          active.continue ? '+' : ''
        }`,
        recent: groupSessions(recent.items).slice(0, RECENT),
      };
    },
    [agentsApi],
    {
      kinds: ['AgentDispatchAttempt', 'AgentDispatchRun'],
      intervalMs: pollIntervalMs,
    },
  );

  let body;
  if (activity.loading) {
    body = <Progress />;
  } else if (!activity.value) {
    body = (
      <Typography color="error">
        Could not read the sessions: {serverMessage(activity.error)}
      </Typography>
    );
  } else {
    const { active, recent } = activity.value;
    body = (
      <>
        <Typography variant="h4" component="p" data-testid="Active sessions">
          {active}
        </Typography>
        <Typography variant="subtitle1" paragraph>
          active sessions
        </Typography>
        {recent.length === 0 ? (
          <Typography color="textSecondary">
            No sessions yet: a run opens one when its first attempt starts.
          </Typography>
        ) : (
          <ul aria-label="Recent sessions" style={{ margin: 0, padding: 0 }}>
            {recent.map(session => (
              <Box
                component="li"
                key={`${session.namespace}/${session.name}`}
                display="flex"
                alignItems="center"
                gridGap={8}
                py={0.5}
                style={{ listStyle: 'none' }}
              >
                <SessionStateChip state={session.state} />
                <Box flexGrow={1} minWidth={0}>
                  <Link to={paths.session(session.namespace, session.name)}>
                    {session.stack ?? session.runtime}
                    {session.repository ? ` on ${session.repository}` : ''}
                  </Link>
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {session.runtime} · {formatTime(session.lastActivity)}
                  </Typography>
                </Box>
              </Box>
            ))}
          </ul>
        )}
      </>
    );
  }
  return (
    <InfoCard
      title="Sessions"
      deepLink={{ title: 'All sessions', link: paths.sessions() }}
    >
      {body}
    </InfoCard>
  );
};
