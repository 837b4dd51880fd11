import { InfoCard, Link } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { DetailRow } from '../DetailRow';
import { SessionStateChip } from '../SessionStateChip';
import { SessionView } from './loadSession';

/** The session's facts: runtime and its session id, stack, repository, state, workspace, work items. */
export const SessionSummary = ({ view }: { view: SessionView }) => {
  const paths = useAgentsPaths();
  const { record, records, workItems } = view;
  const { namespace } = record.metadata;
  const latest = records[records.length - 1] ?? record;
  const workspace = [...records].reverse().find(r => r.status?.workspaceRef)
    ?.status?.workspaceRef;
  const lastActivity = records
    .map(r => r.status?.lastActivityTime)
    .filter((time): time is string => Boolean(time))
    .sort()
    .pop();
  return (
    <InfoCard title="Session">
      <DetailRow label="State">
        <SessionStateChip state={latest.status?.state} />
      </DetailRow>
      <DetailRow label="Runtime">{record.spec.runtime}</DetailRow>
      <DetailRow label="Runtime session">
        {record.status?.sessionId ?? 'not bound yet'}
      </DetailRow>
      <DetailRow label="Stack">
        {record.spec.stack ? (
          <Link to={paths.stack(namespace, record.spec.stack)}>
            {record.spec.stack}
          </Link>
        ) : (
          '—'
        )}
      </DetailRow>
      <DetailRow label="Repository">{record.spec.repository ?? '—'}</DetailRow>
      <DetailRow label="Workspace">
        {workspace ? (
          <Link to={paths.workspace(namespace, workspace)}>{workspace}</Link>
        ) : (
          'none'
        )}
      </DetailRow>
      <DetailRow label="Work item">
        {workItems.links.length === 0 && !workItems.error && 'none linked'}
        {workItems.links.map(link => (
          <Typography key={link.metadata.name} variant="body2">
            <Link
              to={paths.resource('workitems', namespace, link.spec.workItem)}
            >
              {link.spec.workItem}
            </Link>
          </Typography>
        ))}
        {workItems.error && (
          <Typography variant="body2" color="error">
            Could not read the work item links: {workItems.error}
          </Typography>
        )}
      </DetailRow>
      <DetailRow label="Last activity">{formatTime(lastActivity)}</DetailRow>
    </InfoCard>
  );
};
