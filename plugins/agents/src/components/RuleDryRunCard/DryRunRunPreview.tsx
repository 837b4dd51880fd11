import { Link } from '@backstage/core-components';
import { TriggerDryRunResult } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { DetailRow } from '../DetailRow';
import { CodeBlock } from '../CodeBlock';

type RunRequest = NonNullable<TriggerDryRunResult['run']>;

/** The dispatch a delivery of the sample would make: stack, repository, source and prompt. */
export const DryRunRunPreview = ({ run }: { run: RunRequest }) => {
  const paths = useAgentsPaths();
  const { source } = run;
  const sourceText = `${source.kind}${source.name ? ` ${source.name}` : ''}`;
  return (
    <Box aria-label="Run it would create" role="group">
      <DetailRow label="Stack">
        <Link to={paths.stack(run.namespace, run.stack)}>{run.stack}</Link>
      </DetailRow>
      <DetailRow label="Repository">{run.repository ?? 'none'}</DetailRow>
      <DetailRow label="Source">
        {source.url ? <Link to={source.url}>{sourceText}</Link> : sourceText}
      </DetailRow>
      <DetailRow label="Context labels">
        {run.contextLabels?.length ? run.contextLabels.join(', ') : 'none'}
      </DetailRow>
      <DetailRow label="Prompt">
        <CodeBlock label="Rendered prompt" wrap maxHeight={320}>
          {run.prompt}
        </CodeBlock>
      </DetailRow>
    </Box>
  );
};
