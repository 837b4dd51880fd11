import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentMemoryUpdate,
  MEMORY_UPDATE_PHASES,
  memoryProposePermission,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { agentsApiRef } from '../../api';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { useLivePolling } from '../../hooks/useLivePolling';
import { inNamespace } from '../../hooks/useLiveRefresh';
import { countOf } from '../../lib/format';
import { GatedButton } from '../GatedButton';
import { LiveStatus } from '../LiveStatus';
import { MemoryFrame } from '../MemoryFrame';
import { memoryResourceRef } from './memoryResourceRef';
import { MemoryUpdatesTable } from './MemoryUpdatesTable';
import { ProposeUpdateDialog } from './ProposeUpdateDialog';
import { useMemoryUpdatePaths } from './useMemoryUpdatePaths';

/** The phases a proposal can still move out of: what reviewers look at. */
export const OPEN_PHASES = ['Proposed', 'Approved', 'Conflict'];

const OPEN = 'open';
const ALL = 'all';
const PAGE_SIZE = 100;

/** Without change signals the list is read again on this interval. */
export const MEMORY_UPDATES_POLL_MS = 5000;

export interface MemoryUpdatesPageProps {
  pollIntervalMs?: number;
}

const MemoryUpdates = ({
  org,
  pollIntervalMs,
}: {
  org: string;
  pollIntervalMs: number;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useMemoryUpdatePaths();
  const [searchParams, setSearchParams] = useSearchParams();
  const filter = searchParams.get('phase') || OPEN;
  const [proposing, setProposing] = useState(false);
  const [proposed, setProposed] = useState<AgentMemoryUpdate>();
  const forbidden = usePermissionGate(
    memoryProposePermission,
    memoryResourceRef(org),
    `propose updates to the memory of ${org}`,
  );

  const single = (MEMORY_UPDATE_PHASES as readonly string[]).includes(filter);
  const updates = useLivePolling(
    () =>
      agentsApi.listMemoryUpdates(org, {
        phase: single ? filter : undefined,
        limit: PAGE_SIZE,
      }),
    [agentsApi, org, filter],
    {
      kinds: ['AgentMemoryUpdate'],
      matches: inNamespace(org),
      intervalMs: pollIntervalMs,
    },
  );
  // Open proposals span three phases; the list route filters by one.
  const shown = (updates.value?.items ?? []).filter(
    update =>
      filter !== OPEN ||
      OPEN_PHASES.includes(update.status?.phase ?? 'Proposed'),
  );

  const choose = (phase: string) => {
    const next = new URLSearchParams(searchParams);
    if (phase === OPEN) next.delete('phase');
    else next.set('phase', phase);
    setSearchParams(next);
  };

  let body;
  if (updates.loading) {
    body = <Progress />;
  } else if (!updates.value) {
    body = (
      <ResponseErrorPanel
        title={`Could not list the memory updates of ${org}`}
        error={updates.error!}
      />
    );
  } else if (shown.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={
          filter === ALL
            ? 'No memory updates yet'
            : 'No memory updates match this filter'
        }
        description="Runs propose what they learned, and anyone allowed can propose a change; proposals wait here for review."
      />
    );
  } else {
    body = (
      <Paper>
        <MemoryUpdatesTable updates={shown} />
        {updates.value.continue && (
          <Box p={1}>
            <Typography variant="caption" color="textSecondary">
              Showing the newest {PAGE_SIZE}.
            </Typography>
          </Box>
        )}
      </Paper>
    );
  }

  return (
    <>
      <Box display="flex" alignItems="center" gridGap={16} mb={2}>
        <TextField
          select
          id="memory-update-phase"
          label="Phase"
          size="small"
          variant="outlined"
          value={filter}
          style={{ minWidth: 180 }}
          onChange={e => choose(e.target.value)}
        >
          <MenuItem value={OPEN}>Open (proposed, approved, conflict)</MenuItem>
          {MEMORY_UPDATE_PHASES.map(phase => (
            <MenuItem key={phase} value={phase}>
              {phase}
            </MenuItem>
          ))}
          <MenuItem value={ALL}>All</MenuItem>
        </TextField>
        <Box flexGrow={1} />
        <GatedButton
          variant="contained"
          color="primary"
          reason={forbidden}
          onClick={() => setProposing(true)}
        >
          Propose update
        </GatedButton>
      </Box>
      {proposed && (
        <Box mb={2}>
          <Alert severity="success" role="status">
            Proposed{' '}
            <Link
              to={paths.update(
                proposed.metadata.namespace,
                proposed.metadata.name,
              )}
            >
              {proposed.spec.title}
            </Link>
            ; it waits for review.
          </Alert>
        </Box>
      )}
      {updates.value && (
        <Box mb={1} display="flex" flexDirection="column" gridGap={8}>
          <LiveStatus
            what="memory updates"
            error={updates.error}
            updatedAt={updates.updatedAt}
            mode={updates.mode}
            intervalMs={updates.intervalMs}
          />
          {updates.value.withheld > 0 && (
            <Alert severity="info" aria-label="Withheld proposals">
              {countOf(updates.value.withheld, 'proposal')} hidden: they touch
              records you may not see.
            </Alert>
          )}
        </Box>
      )}
      {body}
      <ProposeUpdateDialog
        org={org}
        open={proposing}
        onClose={() => setProposing(false)}
        onProposed={update => {
          setProposing(false);
          setProposed(update);
          updates.refresh();
        }}
      />
    </>
  );
};

/** An org's proposed memory updates: filter by phase, propose one, open one to review it. */
export const MemoryUpdatesPage = ({
  pollIntervalMs = MEMORY_UPDATES_POLL_MS,
}: MemoryUpdatesPageProps) => (
  <MemoryFrame title="Memory updates" timeTravel={false}>
    {org => <MemoryUpdates org={org} pollIntervalMs={pollIntervalMs} />}
  </MemoryFrame>
);
