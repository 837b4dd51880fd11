import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { inNamespace } from '../../hooks/useLiveRefresh';
import { shortSha } from '../../lib/commitText';
import { formatTime } from '../../lib/format';
import { serverMessage } from '../../lib/serverMessage';
import { DetailRow } from '../DetailRow';
import { DiffViewer } from '../DiffViewer';
import { StaleMemoryWarning } from '../DispatchComposer/MemoryPreviewResults';
import {
  MemoryUpdatePhaseChip,
  useMemoryUpdatePaths,
} from '../MemoryUpdatesPage';
import { RunMemoryManifest } from './RunMemoryManifest';
import { RunMemoryParts } from './RunMemoryParts';

const Sha = ({ commit }: { commit: string }) => (
  <code title={commit}>{shortSha(commit)}</code>
);

/**
 * The memory a run read: the commit it resolved to and how, what each query selected, the
 * memory parts of its context, how the memory changed since, and what the run proposed back.
 */
export const RunMemoryCard = ({ run }: { run: AgentDispatchRun }) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const updatePaths = useMemoryUpdatePaths();
  const { name, namespace } = run.metadata;
  const recorded = run.spec.memorySnapshot;
  const memory = useAsyncRetry(
    () => agentsApi.getRunMemory(namespace, name),
    [agentsApi, namespace, name],
  );
  const org = recorded?.org;
  // A run proposes what it wrote as it finishes, after this card has read the list: read it
  // again when an update of the org is signalled, and when the run's phase moves.
  const proposals = useLivePolling(
    async () => {
      if (!org) return [];
      const list = await agentsApi.listMemoryUpdates(org, { limit: 100 });
      return list.items.filter(update => update.spec.source.run === name);
    },
    [agentsApi, org, name],
    { kinds: ['AgentMemoryUpdate'], matches: inNamespace(org ?? '') },
  );
  const phase = run.status?.phase;
  const seenPhase = useRef(phase);
  const refreshProposals = proposals.refresh;
  useEffect(() => {
    if (seenPhase.current === phase) return;
    seenPhase.current = phase;
    refreshProposals();
  }, [phase, refreshProposals]);

  if (!recorded) return null;
  const snapshot = memory.value?.snapshot ?? recorded;
  const queries =
    memory.value?.selection?.queries ?? run.spec.memory?.queries ?? [];
  const current = memory.value?.current?.commit;
  const changed = memory.value?.changed ?? [];

  return (
    <InfoCard title="Memory">
      <DetailRow label="Org">
        <Link to={paths.memory({ namespace: snapshot.org })}>
          {snapshot.org}
        </Link>
      </DetailRow>
      <DetailRow label="Snapshot">
        <span aria-label="Snapshot commit">
          <Link
            to={paths.memory({ namespace: snapshot.org, ref: snapshot.commit })}
            title={snapshot.commit}
          >
            {shortSha(snapshot.commit)}
          </Link>
        </span>{' '}
        from {snapshot.resolvedFrom}, resolved {formatTime(snapshot.time)}
      </DetailRow>
      {current && (
        <DetailRow label="Current">
          <Sha commit={current} />
          {current === snapshot.commit
            ? ' (unchanged since the run)'
            : `, ${changed.length} selected file${
                changed.length === 1 ? '' : 's'
              } changed since`}
        </DetailRow>
      )}
      {snapshot.withheld ? (
        <DetailRow label="Withheld">
          {snapshot.withheld} results the requester may not see
        </DetailRow>
      ) : null}
      {memory.loading && <Progress />}
      {memory.error && (
        <Alert severity="warning">
          Could not read the run’s memory: {serverMessage(memory.error)}
        </Alert>
      )}
      <Box mt={2}>
        <Typography variant="h6">Queries</Typography>
        <RunMemoryManifest snapshot={snapshot} queries={queries} />
      </Box>
      {memory.value?.parts && memory.value.parts.length > 0 && (
        <Box mt={2}>
          <Typography variant="h6">Selected memory</Typography>
          <RunMemoryParts parts={memory.value.parts} />
        </Box>
      )}
      {memory.value?.stale && memory.value.stale.length > 0 && (
        <Box mt={2}>
          <StaleMemoryWarning stale={memory.value.stale} />
        </Box>
      )}
      {changed.length > 0 && (
        <Box mt={2}>
          <Typography variant="h6">Changed since the run</Typography>
          <Box component="ul" aria-label="Changed memory files" my={1}>
            {changed.map(path => (
              <li key={path}>
                <code>{path}</code>
              </li>
            ))}
          </Box>
          {memory.value?.diff && (
            <DiffViewer
              diff={memory.value.diff}
              title="Memory diff against current"
            />
          )}
        </Box>
      )}
      {proposals.value && proposals.value.length > 0 && (
        <Box mt={2}>
          <Typography variant="h6">Proposed by this run</Typography>
          <Box component="ul" aria-label="Memory updates of the run" my={1}>
            {proposals.value.map(update => (
              <li key={update.metadata.name}>
                <Link
                  to={updatePaths.update(
                    update.metadata.namespace,
                    update.metadata.name,
                  )}
                >
                  {update.spec.title}
                </Link>{' '}
                <MemoryUpdatePhaseChip phase={update.status?.phase} />
              </li>
            ))}
          </Box>
        </Box>
      )}
    </InfoCard>
  );
};
