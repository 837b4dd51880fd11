import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentReviewArtifact } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef } from '../../api';
import { DiffViewer } from '../DiffViewer';

export interface ArtifactContentProps {
  artifact: AgentReviewArtifact;
}

/**
 * What an artifact holds, read from the content route: a patch as a diff to read or download (to
 * keep or apply the work without a write-back), a comment, review or decision as its text. Mounted only when shown, so a collapsed artifact costs no read.
 */
export const ArtifactContent = ({ artifact }: ArtifactContentProps) => {
  const agentsApi = useApi(agentsApiRef);
  const { name, namespace } = artifact.metadata;
  const title = artifact.spec.title ?? name;
  // The digest pins the content: a new digest is a new read.
  const digest = artifact.spec.digest;
  const content = useAsyncRetry(
    () => agentsApi.getArtifactContent(namespace, name),
    [agentsApi, namespace, name, digest],
  );

  if (content.loading) return <Progress />;
  if (content.error) {
    return (
      <ResponseErrorPanel
        title={`Could not read the content of ${name}`}
        error={content.error}
      />
    );
  }
  const text = content.value ?? '';
  if (artifact.spec.kind === 'patch') {
    return (
      <>
        <DiffViewer diff={text} title={title} />
        <Button
          size="small"
          href={`data:text/x-diff;charset=utf-8,${encodeURIComponent(text)}`}
          download={`${name}.patch`}
          title="Apply it elsewhere with git apply"
        >
          Download patch
        </Button>
      </>
    );
  }
  return (
    <Box
      component="pre"
      role="region"
      aria-label={title}
      p={1}
      m={0}
      style={{ whiteSpace: 'pre-wrap', maxHeight: 400, overflow: 'auto' }}
    >
      {text || 'Empty'}
    </Box>
  );
};
