import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentDispatchRun,
  AuditRecord,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef } from '../../api';
import { formatTime } from '../../lib/format';
import { serverMessage } from '../../lib/serverMessage';
import { ChainStatus } from './ChainStatus';
import { loadRunAuditTrail } from './loadRunAuditTrail';

export interface RunAuditTrailProps {
  run: AgentDispatchRun;
  /** Changes when the run, its approvals or its write-backs may have new records. */
  refreshKey?: unknown;
}

const STAGES: Record<string, string> = {
  AgentTriggerExecution: 'Trigger',
  AgentDispatchRun: 'Run',
  AgentApproval: 'Approval',
};

function stageOf(record: AuditRecord): string {
  if (record.action.startsWith('write-back:')) return 'Write-back';
  return STAGES[record.target.kind] ?? 'Artifact';
}

/** Where a line's records sit in the chain: `#4`, `#4–9`, or not sealed into it yet. */
function seqText(first: AuditRecord, last: AuditRecord): string {
  if (first.seq === undefined) return 'not sealed yet';
  if (first === last || last.seq === undefined) return `#${first.seq}`;
  return `#${first.seq}–${last.seq}`;
}

/** Consecutive records of the same change to the same object (status updates) as one line. */
function collapseRepeats(records: AuditRecord[]): AuditRecord[][] {
  const lines: AuditRecord[][] = [];
  for (const record of records) {
    const line = lines[lines.length - 1];
    const last = line?.[line.length - 1];
    const same =
      last &&
      last.action === record.action &&
      last.actor === record.actor &&
      last.target.kind === record.target.kind &&
      last.target.name === record.target.name;
    if (same) {
      line.push(record);
    } else {
      lines.push([record]);
    }
  }
  return lines;
}

/**
 * Who did what along the run, in the org chain's order: trigger, run, approvals, write-backs;
 * with whether the org's audit chain verifies.
 */
export const RunAuditTrail = ({ run, refreshKey }: RunAuditTrailProps) => {
  const agentsApi = useApi(agentsApiRef);
  const { namespace, name } = run.metadata;
  const rule = run.metadata.labels?.[TRIGGER_RULE_LABEL];
  const trail = useAsyncRetry(
    () => loadRunAuditTrail(agentsApi, { namespace, name, rule }),
    [agentsApi, namespace, name, rule, refreshKey],
  );
  // On request only: verifying walks the org's whole chain, too much for every page view.
  const [verification, verify] = useAsyncFn(
    () => agentsApi.verifyAuditChain(namespace),
    [agentsApi, namespace],
  );

  let body;
  if (trail.loading && !trail.value) {
    body = <Progress />;
  } else if (!trail.value) {
    body = (
      <Alert severity="error">
        Could not read the run's audit trail: {serverMessage(trail.error)}
      </Alert>
    );
  } else if (trail.value.records.length === 0) {
    body = (
      <Typography color="textSecondary">
        No audit records of this run yet.
      </Typography>
    );
  } else {
    const brokenSeq =
      verification.value && !verification.value.ok
        ? verification.value.brokenAt.seq
        : undefined;
    body = (
      <Box component="ol" aria-label="Audit records" m={0} pl={0}>
        {collapseRepeats(trail.value.records).map(line => {
          const [first, last] = [line[0], line[line.length - 1]];
          const broken = line.some(record => record.seq === brokenSeq);
          return (
            <Box
              component="li"
              key={first.id}
              mb={1}
              style={{ listStyle: 'none' }}
            >
              <Typography variant="body2">
                <strong>{stageOf(first)}</strong> {first.target.name}:{' '}
                {first.action}
                {line.length > 1 ? ` ×${line.length}` : ''}
                {broken ? ' — chain broken here' : ''}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {seqText(first, last)} · {formatTime(first.occurredAt)} ·{' '}
                {first.actor}
              </Typography>
            </Box>
          );
        })}
      </Box>
    );
  }

  return (
    <InfoCard title="Audit trail">
      <ChainStatus
        org={namespace}
        verification={verification}
        onVerify={verify}
      />
      {body}
      {trail.value && trail.value.unreadable.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          Not shown:{' '}
          {trail.value.unreadable
            .map(
              ({ target, error }) =>
                `${target.kind} ${target.name} (${serverMessage(error)})`,
            )
            .join('; ')}
        </Typography>
      )}
    </InfoCard>
  );
};
