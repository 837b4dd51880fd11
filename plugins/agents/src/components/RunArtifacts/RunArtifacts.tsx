import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentApproval,
  AgentReviewArtifact,
  AgentsChangeSignal,
  WriteBackRequestResponse,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useRef, useState } from 'react';
import { AgentsApi, agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { ofRun } from '../../hooks/useLiveRefresh';
import { serverMessage, statusOf } from '../../lib/serverMessage';
import { artifactWriteBackPermission } from '@krate/plugin-agents-common';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { GatedButton } from '../GatedButton';
import { ArtifactEntry, ArtifactItem } from './ArtifactItem';

/** An artifact's write-backs and the approvals they wait on; failures stay with the artifact. */
async function loadEntry(
  agentsApi: AgentsApi,
  artifact: AgentReviewArtifact,
): Promise<ArtifactEntry> {
  const { namespace, name } = artifact.metadata;
  let entry: ArtifactEntry = { artifact, approvals: {} };
  try {
    entry = {
      ...entry,
      writeBacks: (await agentsApi.listWriteBacks(namespace, name)).items,
    };
  } catch (error) {
    return { ...entry, writeBacksError: error as Error };
  }
  const names = [
    ...new Set(
      entry.writeBacks!.flatMap(w => (w.approval ? [w.approval] : [])),
    ),
  ];
  const approvals = await Promise.all(
    names.map(approval =>
      agentsApi.getResource('agentapprovals', namespace, approval).then(
        read => [approval, read as unknown as AgentApproval] as const,
        () => undefined,
      ),
    ),
  );
  return {
    ...entry,
    approvals: Object.fromEntries(
      approvals.filter((a): a is NonNullable<typeof a> => Boolean(a)),
    ),
  };
}

export interface RunArtifactsProps {
  run: string;
  namespace: string;
  /** Polling interval without signals (none when undefined: only signals and refreshKey). */
  pollIntervalMs?: number;
  /** Changes when the run may have produced an artifact (an artifact event, a new phase). */
  refreshKey?: unknown;
  /** Called once a write-back was requested, e.g. to look for its approval. */
  onWriteBackRequested?: (response: WriteBackRequestResponse) => void;
}

/**
 * The run's review artifacts as the server records them: each one's state, diff and write-backs,
 * a fresh diff of the workspace on request, and write-back requests.
 */
export const RunArtifacts = ({
  run,
  namespace,
  pollIntervalMs,
  refreshKey,
  onWriteBackRequested,
}: RunArtifactsProps) => {
  const agentsApi = useApi(agentsApiRef);
  const known = useRef(new Set<string>());
  const [collecting, setCollecting] = useState(false);
  const forbidden = usePermissionGate(
    artifactWriteBackPermission,
    resourceRefOf('AgentDispatchRun', namespace, run),
    'take this run’s artifacts again',
  );
  const [collected, setCollected] = useState<{
    severity: 'success' | 'info' | 'error';
    message: string;
  }>();

  const artifacts = useLivePolling(
    async () => {
      const { items } = await agentsApi.listArtifacts(namespace, run);
      return Promise.all(items.map(item => loadEntry(agentsApi, item)));
    },
    [agentsApi, namespace, run],
    {
      kinds: ['AgentReviewArtifact', 'AgentApproval'],
      // Artifacts are named after the run's attempts, approvals after the run; a write-back's
      // approval may be named otherwise, so the ones on show count too.
      matches: (signal: AgentsChangeSignal) =>
        signal.namespace === namespace &&
        (ofRun(run)(signal) || known.current.has(signal.name)),
      intervalMs: pollIntervalMs,
    },
  );
  useEffect(() => {
    known.current = new Set(
      (artifacts.value ?? []).flatMap(entry => [
        entry.artifact.metadata.name,
        ...Object.keys(entry.approvals),
        ...(entry.writeBacks ?? []).flatMap(w =>
          w.approval ? [w.approval] : [],
        ),
      ]),
    );
  }, [artifacts.value]);

  const { refresh } = artifacts;
  useEffect(() => {
    if (refreshKey !== undefined) refresh();
  }, [refresh, refreshKey]);

  const collect = async () => {
    setCollecting(true);
    setCollected(undefined);
    try {
      const before = new Set(
        (artifacts.value ?? []).map(e => e.artifact.metadata.name),
      );
      const { items } = await agentsApi.collectArtifacts(namespace, run);
      const added = items
        .map(a => a.metadata.name)
        .filter(name => !before.has(name));
      setCollected(
        added.length
          ? {
              severity: 'success',
              message: `New artifact from the workspace: ${added.join(', ')}`,
            }
          : {
              severity: 'info',
              message: 'The workspace diff has not changed.',
            },
      );
    } catch (error) {
      const code = statusOf(error);
      setCollected({
        severity: 'error',
        message: `Could not refresh from the workspace${
          code ? ` (${code})` : ''
        }: ${serverMessage(error)}`,
      });
    } finally {
      setCollecting(false);
      refresh();
    }
  };

  let body;
  if (artifacts.loading) {
    body = <Progress />;
  } else if (!artifacts.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list the run's artifacts"
        error={artifacts.error!}
      />
    );
  } else if (artifacts.value.length === 0) {
    body = (
      <Typography color="textSecondary">
        No artifacts yet. Patches, comments and reviews the agent produces show
        up here; refresh from the workspace to take its diff now.
      </Typography>
    );
  } else {
    body = (
      <>
        {artifacts.error && (
          <Alert severity="warning" style={{ marginBottom: 8 }}>
            Showing the artifacts as last read: {serverMessage(artifacts.error)}
          </Alert>
        )}
        {artifacts.value.map(entry => (
          <ArtifactItem
            key={entry.artifact.metadata.name}
            entry={entry}
            run={run}
            onRequested={response => {
              refresh();
              onWriteBackRequested?.(response);
            }}
          />
        ))}
      </>
    );
  }

  return (
    <InfoCard
      title="Artifacts"
      action={
        <Box mt={1} mr={1}>
          <GatedButton
            size="small"
            variant="outlined"
            disabled={collecting}
            reason={forbidden}
            hint="Takes the workspace diff again; a changed workspace makes a new artifact and voids the old one"
            onClick={collect}
          >
            Refresh from workspace
          </GatedButton>
        </Box>
      }
    >
      {collected && (
        <Alert
          severity={collected.severity}
          onClose={() => setCollected(undefined)}
          style={{ marginBottom: 8 }}
        >
          {collected.message}
        </Alert>
      )}
      {body}
    </InfoCard>
  );
};
