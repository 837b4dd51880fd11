import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { LivePollingState } from '../../hooks/useLivePolling';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { LiveStatus } from '../LiveStatus';
import { TriggerOutcomeChip } from '../TriggerOutcomeChip';
import {
  RECENT_EXECUTIONS,
  RuleExecutions as Executions,
} from './useRuleExecutions';
import { ColumnHeads } from '../ColumnHeads';

const COLUMNS = ['Time', 'Source', 'Outcome', 'Dedupe key', 'Run', 'Reason'];

export interface RuleExecutionsProps {
  namespace: string;
  executions: LivePollingState<Executions>;
}

/** The rule's latest evaluations, real deliveries and dry-runs alike, newest first. */
export const RuleExecutions = ({
  namespace,
  executions,
}: RuleExecutionsProps) => {
  const paths = useAgentsPaths();
  let body;
  if (executions.loading) {
    body = <Progress />;
  } else if (!executions.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list the rule's executions"
        error={executions.error!}
      />
    );
  } else if (!executions.value.items.length) {
    body = (
      <EmptyState
        missing="data"
        title="No executions of this rule yet"
        description="Each delivery the rule evaluates, and each dry run, shows up here."
      />
    );
  } else {
    const { items, more } = executions.value;
    body = (
      <>
        <LiveStatus
          what="executions"
          error={executions.error}
          updatedAt={executions.updatedAt}
          mode={executions.mode}
          intervalMs={executions.intervalMs}
        />
        <TableContainer>
          <Table size="small" aria-label="Recent executions">
            <ColumnHeads columns={COLUMNS} />
            <TableBody>
              {items.map(({ metadata, spec, status = {} }) => (
                <TableRow key={metadata.name} aria-label={metadata.name}>
                  <TableCell>
                    {formatTime(metadata.creationTimestamp)}
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      display="block"
                    >
                      {metadata.name}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <Box display="flex" alignItems="center" gridGap={4}>
                      {spec.source}
                      {spec.dryRun && (
                        <Chip size="small" variant="outlined" label="dry run" />
                      )}
                    </Box>
                    {spec.repository && (
                      <Typography
                        variant="caption"
                        color="textSecondary"
                        display="block"
                      >
                        {spec.repository}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <TriggerOutcomeChip outcome={status.outcome} />
                  </TableCell>
                  <TableCell>
                    {status.dedupeKey ? <code>{status.dedupeKey}</code> : '—'}
                  </TableCell>
                  <TableCell>
                    {status.run ? (
                      <Link to={paths.run(status.run, namespace)}>
                        {status.run}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  <TableCell>{status.rejectionReason ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {more && (
          <Typography variant="caption" color="textSecondary">
            The {RECENT_EXECUTIONS} newest executions; older ones are not shown.
          </Typography>
        )}
      </>
    );
  }
  return <InfoCard title="Recent executions">{body}</InfoCard>;
};
