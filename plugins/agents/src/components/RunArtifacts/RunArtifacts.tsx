import { InfoCard } from '@backstage/core-components';
import { RunEvent } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { DiffViewer } from '../DiffViewer';

type ArtifactEvent = Extract<RunEvent, { type: 'artifact' }>;

/** The artifacts the run's attempts produced; patches as diffs, logs and reports as text. */
export const RunArtifacts = ({ events }: { events: RunEvent[] }) => {
  const artifacts = events.filter(
    (e): e is ArtifactEvent => e.type === 'artifact',
  );
  return (
    <InfoCard title="Artifacts">
      {artifacts.length === 0 ? (
        <Typography color="textSecondary">
          No artifacts yet. Patches, logs and reports the agent produces show up
          here.
        </Typography>
      ) : (
        artifacts.map(artifact => (
          <Box
            key={artifact.seq}
            mb={2}
            role="group"
            aria-label={`Artifact ${artifact.name}`}
          >
            <Box display="flex" alignItems="center" gridGap={8} mb={1}>
              <Typography variant="subtitle2">{artifact.name}</Typography>
              <Chip size="small" label={artifact.artifactKind} />
              <Typography variant="caption" color="textSecondary">
                {artifact.byteCount !== undefined
                  ? `${artifact.byteCount} bytes · `
                  : ''}
                attempt {artifact.attempt} · ready
              </Typography>
            </Box>
            {artifact.content === undefined && (
              <Typography variant="body2" color="textSecondary">
                The content was not kept in the event log.
              </Typography>
            )}
            {artifact.content !== undefined &&
              artifact.artifactKind === 'patch' && (
                <DiffViewer diff={artifact.content} title={artifact.name} />
              )}
            {artifact.content !== undefined &&
              artifact.artifactKind !== 'patch' && (
                <Box
                  component="pre"
                  p={1}
                  m={0}
                  style={{
                    whiteSpace: 'pre-wrap',
                    maxHeight: 400,
                    overflow: 'auto',
                  }}
                >
                  {artifact.content}
                </Box>
              )}
          </Box>
        ))
      )}
    </InfoCard>
  );
};
