import { Link } from '@backstage/core-components';
import {
  AgentApproval,
  WriteBackRecord,
  WriteBackResult,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { serverMessage } from '../../lib/serverMessage';
import { describeOperation } from '../../lib/writeBackText';
import { ApprovalProgress } from '../ApprovalProgress';
import { ArtifactStateChip } from '../ArtifactStateChip';

const URL_LABELS: Record<string, string> = {
  'pull-request': 'Pull request',
  review: 'Review',
  comment: 'Comment',
  'issue-comment': 'Comment',
  'workflow-rerun': 'Workflow run',
};

/** One thing a write-back wrote: the pushed branch, the pull request, the comment. */
const ResultLine = ({
  result,
  record,
}: {
  result: WriteBackResult;
  record: WriteBackRecord;
}) => {
  if (result.url) {
    const label = URL_LABELS[result.operation] ?? result.operation;
    return (
      <li>
        <Typography variant="body2" component="span">
          {label}
          {result.operation === 'pull-request' && result.ref
            ? ` #${result.ref}`
            : ''}
          :{' '}
        </Typography>
        <Link to={result.url} target="_blank" rel="noopener noreferrer">
          {result.url}
        </Link>
      </li>
    );
  }
  return (
    <li>
      <Typography variant="body2" component="span">
        Pushed branch <code>{record.operation.branch ?? '—'}</code>
        {result.remote ? (
          <>
            {' '}
            to <code>{result.remote}</code>
          </>
        ) : (
          ''
        )}
        {result.ref ? (
          <>
            {' '}
            at <code>{result.ref}</code>
          </>
        ) : (
          ''
        )}
      </Typography>
    </li>
  );
};

export interface WriteBackListProps {
  writeBacks?: WriteBackRecord[];
  /** The approvals the write-backs wait on (or waited on), by name, as far as they could be read. */
  approvals: Record<string, AgentApproval>;
  error?: Error;
}

/**
 * An artifact's write-backs: each operation's state, the approval it waits on with who approved
 * so far, and what it wrote.
 */
export const WriteBackList = ({
  writeBacks,
  approvals,
  error,
}: WriteBackListProps) => {
  const paths = useAgentsPaths();
  if (error) {
    return (
      <Alert severity="warning">
        Could not list the write-backs: {serverMessage(error)}
      </Alert>
    );
  }
  if (!writeBacks?.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        No write-back requested yet.
      </Typography>
    );
  }
  return (
    <Box
      component="ul"
      m={0}
      p={0}
      style={{ listStyle: 'none' }}
      aria-label="Write-backs"
    >
      {writeBacks.map(record => {
        const approval = record.approval
          ? approvals[record.approval]
          : undefined;
        const summary = `${record.target}: ${describeOperation(
          record.operation,
        )}`;
        return (
          <Box
            component="li"
            key={record.key}
            aria-label={`Write-back ${summary}`}
            py={1}
            borderTop={1}
            borderColor="divider"
          >
            <Box display="flex" alignItems="center" gridGap={8} flexWrap="wrap">
              <ArtifactStateChip state={record.state} of="Write-back" />
              <Typography variant="body2">{summary}</Typography>
              <Typography variant="caption" color="textSecondary">
                requested by {record.requestedBy} at{' '}
                {formatTime(record.createdAt)}
              </Typography>
            </Box>
            {record.operation.title && (
              <Typography variant="body2" color="textSecondary">
                Title: {record.operation.title}
              </Typography>
            )}
            {record.message && (
              <Typography variant="body2" color="textSecondary">
                {record.message}
              </Typography>
            )}
            {record.approval && (
              <Box mt={0.5}>
                <Typography variant="body2">
                  {record.state === 'awaiting-approval'
                    ? 'Waits on approval '
                    : 'Approval '}
                  <Link to={paths.approvals({ namespace: record.namespace })}>
                    {record.approval}
                  </Link>
                  {approval?.status?.state ? ` (${approval.status.state})` : ''}
                </Typography>
                {approval && <ApprovalProgress approval={approval} />}
              </Box>
            )}
            {record.results && record.results.length > 0 && (
              <Box component="ul" m={0} mt={0.5} pl={2} aria-label="Results">
                {record.results.map((result, index) => (
                  <ResultLine key={index} result={result} record={record} />
                ))}
              </Box>
            )}
          </Box>
        );
      })}
    </Box>
  );
};
