import { CopyTextButton, InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { MemoryRecordAnswer } from '../../api';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { shortCitation } from '../../lib/commitText';
import { DetailRow } from '../DetailRow';

const listed = (values: string[]) => (values.length ? values.join(', ') : '—');

/** What a record says about itself in its front matter, and where it is cited from. */
export const RecordSummary = ({
  org,
  answer,
}: {
  org: string;
  answer: MemoryRecordAnswer;
}) => {
  const links = useMemoryLinks(org);
  const { record, resolved } = answer;
  return (
    <InfoCard
      title={record.title}
      subheader={record.id}
      deepLink={{
        title: 'Show in graph',
        link: links.graph({ around: record.id }),
      }}
    >
      <DetailRow label="Kind">{record.kind}</DetailRow>
      <DetailRow label="Owner">{record.owner ?? '—'}</DetailRow>
      <DetailRow label="Repositories">{listed(record.repositories)}</DetailRow>
      <DetailRow label="Visibility">{record.visibility}</DetailRow>
      <DetailRow label="Reviewed">{record.reviewed ?? 'never'}</DetailRow>
      <DetailRow label="Sources">{listed(record.sources)}</DetailRow>
      <DetailRow label="Citation">
        <Box display="flex" alignItems="center" gridGap={8}>
          <code aria-label="Citation" title={answer.citation}>
            {shortCitation(record.path, resolved.commit)}
          </code>
          <CopyTextButton
            text={answer.citation}
            tooltipText="Full citation copied"
            aria-label="Copy the full citation"
          />
        </Box>
      </DetailRow>
    </InfoCard>
  );
};
