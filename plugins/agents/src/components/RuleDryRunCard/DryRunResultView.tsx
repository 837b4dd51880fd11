import { Link } from '@backstage/core-components';
import { TriggerDryRunResult } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReactNode } from 'react';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { DetailRow } from '../DetailRow';
import { BudgetEstimateView } from '../BudgetEstimateView';
import { ContextParts } from '../ExecutionContextPanel';
import { TriggerOutcomeChip } from '../TriggerOutcomeChip';
import { DryRunConditions } from './DryRunConditions';
import { DryRunPolicyPreview } from './DryRunPolicyPreview';
import { DryRunRunPreview } from './DryRunRunPreview';

const Section = ({
  title,
  children,
}: {
  title: string;
  children: ReactNode;
}) => (
  <Box mt={2}>
    <Typography variant="subtitle2" gutterBottom>
      {title}
    </Typography>
    {children}
  </Box>
);

export interface DryRunResultViewProps {
  result: TriggerDryRunResult;
  namespace: string;
}

/** Everything a dry-run answered: outcome, conditions, dedupe, the run, its policy and context. */
export const DryRunResultView = ({
  result,
  namespace,
}: DryRunResultViewProps) => {
  const paths = useAgentsPaths();
  const runLink = (run: string) => (
    <Link key={run} to={paths.run(run, namespace)}>
      {run}
    </Link>
  );
  return (
    <Box role="region" aria-label="Dry-run result">
      <Box
        display="flex"
        alignItems="center"
        gridGap={8}
        aria-label="Dry-run outcome"
        role="group"
      >
        <TriggerOutcomeChip outcome={result.outcome} />
        {result.reason && (
          <Typography variant="body2">{result.reason}</Typography>
        )}
      </Box>
      <Typography variant="caption" color="textSecondary" display="block">
        {result.execution.metadata.uid
          ? `Recorded as execution ${result.execution.metadata.name}; nothing was dispatched.`
          : 'Not recorded: the rule is a draft; nothing was dispatched.'}
      </Typography>
      {!result.lifecycleDispatches && (
        <Box mt={1}>
          <Alert severity="info">
            This rule is {result.lifecycle}: only active rules dispatch; this is
            what it would do if active.
          </Alert>
        </Box>
      )}
      {result.missingFields.length > 0 && (
        <Box mt={1}>
          <Alert severity="warning" aria-label="Missing fields">
            The sample lacks fields the templates use; they render empty:{' '}
            {result.missingFields.join(', ')}
          </Alert>
        </Box>
      )}

      {(result.nextFirings || result.scheduleError) && (
        <Section title="Next scheduled firings">
          {result.nextFirings ? (
            <Box component="ol" m={0} aria-label="Next firings">
              {result.nextFirings.map(firing => (
                <li key={firing}>{formatTime(firing)}</li>
              ))}
            </Box>
          ) : (
            <Alert severity="warning" aria-label="Schedule error">
              {result.scheduleError}
            </Alert>
          )}
        </Section>
      )}

      <Section title="Conditions">
        <DryRunConditions conditions={result.conditions} />
      </Section>

      <Section title="Dedupe and concurrency">
        <DetailRow label="Dedupe key">
          {result.dedupeKey ? (
            <code aria-label="Dedupe key">{result.dedupeKey}</code>
          ) : (
            'none: the rule has no dedupe key template'
          )}
        </DetailRow>
        {result.joins && (
          <DetailRow label="Would join">{runLink(result.joins)}</DetailRow>
        )}
        <DetailRow label="Active runs">
          {result.activeRuns.length ? (
            <Box display="flex" flexWrap="wrap" gridGap={8}>
              {result.activeRuns.map(runLink)}
            </Box>
          ) : (
            'none'
          )}
        </DetailRow>
      </Section>

      {result.run && (
        <Section title="Run it would create">
          <DryRunRunPreview run={result.run} />
        </Section>
      )}

      {result.budget && (
        <Section title="Cost and budgets">
          <BudgetEstimateView budget={result.budget} />
        </Section>
      )}

      <Section title="Policy">
        <DryRunPolicyPreview policy={result.policyPreview} />
      </Section>

      {(result.context || result.contextError) && (
        <Section title="Context bundle">
          {result.context ? (
            <ContextParts
              label="The run would start with"
              parts={result.context.parts}
              digest={result.context.digest}
            />
          ) : (
            <Alert severity="warning" aria-label="Context error">
              The context bundle cannot be assembled: {result.contextError}
            </Alert>
          )}
        </Section>
      )}
    </Box>
  );
};
