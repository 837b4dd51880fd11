import { InfoCard } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import { MemoryStatus } from '../../api';
import { formatUtc, shortSha } from '../../lib/commitText';
import { DetailRow } from '../DetailRow';

const Sha = ({ commit }: { commit: string }) => (
  <code title={commit}>{shortSha(commit)}</code>
);

/** Which commit the memory is read at, how fresh its index is, and how many reads were denied. */
export const MemoryCommitCard = ({ status }: { status: MemoryStatus }) => {
  const { resolved, head, index } = status;
  return (
    <InfoCard title="Commit">
      <DetailRow label="Commit">
        <Sha commit={resolved.commit} />
      </DetailRow>
      <DetailRow label="Committed">{formatUtc(resolved.committedAt)}</DetailRow>
      <DetailRow label="Resolved from">{resolved.ref}</DetailRow>
      {status.branch && <DetailRow label="Branch">{status.branch}</DetailRow>}
      {head && (
        <DetailRow label="Branch head">
          <Sha commit={head} />
        </DetailRow>
      )}
      <DetailRow label="Index">
        {index.fresh ? (
          <Chip size="small" label="fresh" />
        ) : (
          <Chip size="small" color="secondary" label="behind head" />
        )}{' '}
        of <Sha commit={index.commit} />
        {index.builtFrom && (
          <>
            , built from <Sha commit={index.builtFrom} />
          </>
        )}
        , {index.filesRead} files read in {index.ms} ms
      </DetailRow>
      <DetailRow label="Denied queries">
        <span aria-label="Denied queries">{status.deniedQueries}</span> searches
        left out records their reader may not see
      </DetailRow>
    </InfoCard>
  );
};
