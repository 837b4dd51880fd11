import { InfoCard, Link } from '@backstage/core-components';
import { AgentTriggerRule } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { countsText } from '../../lib/triggerRuleText';
import { DetailRow } from '../DetailRow';
import { TriggerOutcomeChip } from '../TriggerOutcomeChip';

/**
 * What the rule's real deliveries came to (dry-runs leave the status alone), the policy the
 * runs it creates get from the target stack, and the trigger controller's conditions, with a
 * Ready condition that is False shown first.
 */
export const RuleStatus = ({ rule }: { rule: AgentTriggerRule }) => {
  const paths = useAgentsPaths();
  const { namespace } = rule.metadata;
  const {
    lastExecution: last,
    counts,
    policyPreview,
    conditions = [],
  } = rule.status ?? {};
  const notReady = conditions.find(
    c => c.type === 'Ready' && c.status === 'False',
  );
  return (
    <InfoCard title="Status">
      {notReady && (
        <Box mb={2}>
          <Alert severity="warning" aria-label="Rule not ready">
            <strong>Not ready · {notReady.reason}</strong>: {notReady.message}
          </Alert>
        </Box>
      )}
      <DetailRow label="Last execution">
        {last ? (
          <Box aria-label="Last execution" role="group">
            <Box display="flex" alignItems="center" gridGap={8}>
              <TriggerOutcomeChip outcome={last.outcome} />
              {formatTime(last.time)}
            </Box>
            {last.run && (
              <Typography variant="body2">
                Run <Link to={paths.run(last.run, namespace)}>{last.run}</Link>
              </Typography>
            )}
            {last.reason && (
              <Typography variant="body2" color="textSecondary">
                {last.reason}
              </Typography>
            )}
            {last.execution && (
              <Typography variant="caption" color="textSecondary">
                Execution {last.execution}
              </Typography>
            )}
          </Box>
        ) : (
          'no deliveries yet'
        )}
      </DetailRow>
      <DetailRow label="Counts">{countsText(counts)}</DetailRow>
      {rule.status?.nextScheduledTime && (
        <DetailRow label="Next scheduled firing">
          {formatTime(rule.status.nextScheduledTime)}
        </DetailRow>
      )}
      {rule.status?.lastScheduledTime && (
        <DetailRow label="Last scheduled slot fired">
          {formatTime(rule.status.lastScheduledTime)}
        </DetailRow>
      )}
      {policyPreview ? (
        <Box aria-label="Policy preview" role="group">
          <DetailRow label="Approval mode">
            {policyPreview.approvalMode ?? 'the stack default'}
          </DetailRow>
          <DetailRow label="Write-back">
            {policyPreview.writeBackMode ?? 'none'}
          </DetailRow>
          <DetailRow label="Runs need approval">
            {policyPreview.requiresApproval ? 'yes' : 'no'}
          </DetailRow>
        </Box>
      ) : (
        <DetailRow label="Run policy">
          not known yet: the controller has not checked the rule
        </DetailRow>
      )}
      {conditions
        .filter(condition => condition !== notReady)
        .map(condition => (
          <DetailRow key={condition.type} label={condition.type}>
            {condition.status} · {condition.reason}: {condition.message}
          </DetailRow>
        ))}
    </InfoCard>
  );
};
