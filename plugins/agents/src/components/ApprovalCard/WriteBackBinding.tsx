import { Link } from '@backstage/core-components';
import {
  AgentApproval,
  AgentReviewArtifact,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useState } from 'react';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { serverMessage } from '../../lib/serverMessage';
import {
  boundOperation,
  describeOperation,
  shortDigest,
} from '../../lib/writeBackText';
import { ApprovalProgress } from '../ApprovalProgress';
import { ArtifactContent } from '../ArtifactContent';
import { ArtifactStateChip } from '../ArtifactStateChip';

export interface WriteBackBindingProps {
  approval: AgentApproval;
  artifact?: AgentReviewArtifact;
  artifactError?: Error;
  /** Why the approval approves nothing any more; the diff then starts hidden. */
  voided?: string;
  field: (label: string, children: ReactNode) => ReactNode;
}

/**
 * What a write-back approval approves: the target operation, the exact diff (by digest) and the
 * approvals it has towards the number it needs.
 */
export const WriteBackBinding = ({
  approval,
  artifact,
  artifactError,
  voided,
  field,
}: WriteBackBindingProps) => {
  const paths = useAgentsPaths();
  const binding = approval.spec.binding!;
  const operation = boundOperation(approval);
  const pending = (approval.status?.state ?? 'pending') === 'pending';
  const [shown, setShown] = useState(pending && !voided);
  const what = artifact && artifact.spec.kind !== 'patch' ? 'text' : 'diff';
  const runLink = approval.spec.run
    ? `${paths.run(approval.spec.run, approval.metadata.namespace)}#artifact-${
        binding.artifact
      }`
    : undefined;

  return (
    <Box mt={1} aria-label="Write-back" role="group">
      {field(
        'Write-back',
        `${binding.target}: ${describeOperation(operation)}`,
      )}
      {operation.branch && field('Branch', <code>{operation.branch}</code>)}
      {operation.base && field('Base', <code>{operation.base}</code>)}
      {operation.title && field('Title', operation.title)}
      {operation.number !== undefined &&
        field('Number', `#${operation.number}`)}
      {field(
        'Artifact',
        <>
          {runLink ? (
            <Link to={runLink}>{binding.artifact}</Link>
          ) : (
            binding.artifact
          )}{' '}
          <code title={binding.digest}>{shortDigest(binding.digest)}</code>{' '}
          {artifact && <ArtifactStateChip state={artifact.status?.state} />}
        </>,
      )}
      {field('Approvals', <ApprovalProgress approval={approval} />)}
      {voided && (
        <Alert severity="warning" style={{ marginTop: 8 }}>
          {voided}
        </Alert>
      )}
      {artifactError && (
        <Alert severity="warning" style={{ marginTop: 8 }}>
          Could not read artifact {binding.artifact}:{' '}
          {serverMessage(artifactError)}
        </Alert>
      )}
      {artifact && (
        <Box mt={1}>
          <Button
            size="small"
            variant="outlined"
            aria-expanded={shown}
            onClick={() => setShown(open => !open)}
          >
            {shown ? `Hide the ${what}` : `Show the ${what} it approves`}
          </Button>
          {shown && (
            <Box mt={1}>
              <Typography variant="caption" color="textSecondary">
                Approving approves exactly this {what} (
                {shortDigest(binding.digest)}) and operation.
              </Typography>
              <ArtifactContent artifact={artifact} />
            </Box>
          )}
        </Box>
      )}
    </Box>
  );
};
