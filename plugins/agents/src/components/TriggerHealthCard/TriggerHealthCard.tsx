import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { formatTime } from '../../lib/format';
import { nextScheduledFiring } from '../../lib/nextScheduledFiring';
import { serverMessage } from '../../lib/serverMessage';

const SHOWN = 5;

const Section = ({ title }: { title: string }) => (
  <Typography variant="subtitle2" style={{ marginTop: 12 }}>
    {title}
  </Typography>
);

/**
 * Trigger health on the overview: the latest failed webhook deliveries, the rules that rejected
 * events (by their status counts), and the next scheduled firing among the rules.
 */
export const TriggerHealthCard = ({
  pollIntervalMs = 10000,
}: {
  pollIntervalMs?: number;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const health = useLivePolling(
    async () => {
      const [failed, rules] = await Promise.all([
        agentsApi.listDeliveries({ phase: 'failed', limit: SHOWN }),
        agentsApi.listRules({ limit: 500 }),
      ]);
      const rejecting = rules.items
        .map(rule => ({ rule, rejected: rule.status?.counts?.rejected ?? 0 }))
        .filter(r => r.rejected > 0)
        .sort((a, b) => b.rejected - a.rejected);
      const now = new Date().toISOString();
      const next = rules.items
        .filter(rule => rule.spec.lifecycle === 'active')
        .flatMap(rule => {
          const time = nextScheduledFiring(rule);
          return time && time >= now ? [{ rule, time }] : [];
        })
        .sort((a, b) => a.time.localeCompare(b.time))[0];
      return {
        failed: failed.items,
        moreFailed: Boolean(failed.continue),
        rejecting,
        next,
      };
    },
    [agentsApi],
    {
      kinds: ['WebhookDelivery', 'AgentTriggerRule'],
      intervalMs: pollIntervalMs,
    },
  );

  let body;
  if (health.loading) {
    body = <Progress />;
  } else if (!health.value) {
    body = (
      <Typography color="error">
        Could not read the trigger rules and deliveries:{' '}
        {serverMessage(health.error)}
      </Typography>
    );
  } else {
    const { failed, moreFailed, rejecting, next } = health.value;
    body = (
      <>
        <Section title="Failed webhook deliveries" />
        {failed.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            None failed.
          </Typography>
        ) : (
          <ul
            aria-label="Failed deliveries"
            style={{ margin: 0, paddingLeft: 20 }}
          >
            {failed.map(delivery => (
              <li
                key={`${delivery.metadata.namespace}/${delivery.metadata.name}`}
              >
                <Typography variant="body2">
                  <Link
                    to={paths.ruleList({
                      namespace: delivery.metadata.namespace,
                    })}
                  >
                    {delivery.spec.source} {delivery.spec.eventType}
                  </Link>
                  {delivery.spec.repository
                    ? ` on ${delivery.spec.repository}`
                    : ''}{' '}
                  · {formatTime(delivery.spec.receivedTime)}
                </Typography>
                {delivery.status?.reason && (
                  <Typography variant="caption" color="textSecondary">
                    {delivery.status.reason}
                  </Typography>
                )}
              </li>
            ))}
            {moreFailed && (
              <li>
                <Typography variant="caption">and more</Typography>
              </li>
            )}
          </ul>
        )}
        <Section title="Rules with rejections" />
        {rejecting.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No rule has rejected an event.
          </Typography>
        ) : (
          <ul
            aria-label="Rules with rejections"
            style={{ margin: 0, paddingLeft: 20 }}
          >
            {rejecting.slice(0, SHOWN).map(({ rule, rejected }) => (
              <li key={`${rule.metadata.namespace}/${rule.metadata.name}`}>
                <Typography variant="body2">
                  <Link
                    to={paths.rule(rule.metadata.namespace, rule.metadata.name)}
                  >
                    {rule.metadata.namespace}/{rule.metadata.name}
                  </Link>
                  : {rejected} rejected
                  {rule.status?.lastExecution?.outcome === 'rejected' &&
                  rule.status.lastExecution.reason
                    ? ` (last: ${rule.status.lastExecution.reason})`
                    : ''}
                </Typography>
              </li>
            ))}
          </ul>
        )}
        <Section title="Next scheduled firing" />
        <Typography
          variant="body2"
          color={next ? 'textPrimary' : 'textSecondary'}
        >
          {next ? (
            <>
              <Link
                to={paths.rule(
                  next.rule.metadata.namespace,
                  next.rule.metadata.name,
                )}
              >
                {next.rule.metadata.namespace}/{next.rule.metadata.name}
              </Link>{' '}
              at {formatTime(next.time)}
            </>
          ) : (
            'No active rule has a scheduled firing.'
          )}
        </Typography>
      </>
    );
  }
  return (
    <InfoCard
      title="Trigger health"
      deepLink={{ title: 'All rules', link: paths.rules }}
    >
      {body}
    </InfoCard>
  );
};
