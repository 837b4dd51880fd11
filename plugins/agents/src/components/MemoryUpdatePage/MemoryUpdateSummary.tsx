import { InfoCard, Link } from '@backstage/core-components';
import { AgentMemoryUpdate } from '@krate/plugin-agents-common';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { shortSha } from '../../lib/commitText';
import { formatTime } from '../../lib/format';
import { CodeBlock } from '../CodeBlock';
import { DetailRow } from '../DetailRow';
import {
  MemoryUpdatePhaseChip,
  MemoryUpdateSource,
} from '../MemoryUpdatesPage';

const Sha = ({ commit }: { commit: string }) => (
  <code title={commit}>{shortSha(commit)}</code>
);

/** What a proposal is, where it came from, what it was made against, and its merge. */
export const MemoryUpdateSummary = ({
  update,
}: {
  update: AgentMemoryUpdate;
}) => {
  const paths = useAgentsPaths();
  const { spec, status = {} } = update;
  const org = update.metadata.namespace;
  return (
    <InfoCard title="Proposal">
      <DetailRow label="Phase">
        <MemoryUpdatePhaseChip phase={status.phase} />
        {status.message ? ` ${status.message}` : ''}
      </DetailRow>
      <DetailRow label="Source">
        <MemoryUpdateSource update={update} />
        {spec.source.attempt ? ` (attempt ${spec.source.attempt})` : ''}
      </DetailRow>
      <DetailRow label="Proposed by">{spec.proposedBy}</DetailRow>
      <DetailRow label="Proposed">
        {formatTime(update.metadata.creationTimestamp)}
      </DetailRow>
      <DetailRow label="Base commit">
        <Sha commit={spec.baseCommit} />
      </DetailRow>
      <DetailRow label="Files">
        {spec.files.map(file => (
          <div key={file.path}>
            <code>{file.path}</code> ({file.change})
          </div>
        ))}
      </DetailRow>
      {status.mergedCommit && (
        <DetailRow label="Merged">
          <span aria-label="Merged commit">
            <Link
              to={paths.memory({ namespace: org, ref: status.mergedCommit })}
              title={status.mergedCommit}
            >
              {shortSha(status.mergedCommit)}
            </Link>
          </span>
          {status.mergedBy ? ` by ${status.mergedBy}` : ''}
          {status.mergeTime ? ` at ${formatTime(status.mergeTime)}` : ''}
        </DetailRow>
      )}
      {spec.description && (
        <CodeBlock label="Description" wrap>
          {spec.description}
        </CodeBlock>
      )}
    </InfoCard>
  );
};
