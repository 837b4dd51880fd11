import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef, MemoryAt } from '../../api';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { statusOf } from '../../lib/serverMessage';
import { RecordMarkdown } from '../MemoryRecordPage';

/** `MEMORY.md` is a record of kind document with the id `MEMORY`. */
const ROOT_ID = 'MEMORY';

/** The memory's root file, `MEMORY.md`, rendered: where a reader starts. */
export const MemoryRootCard = ({
  org,
  point,
}: {
  org: string;
  point: MemoryAt;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const links = useMemoryLinks(org);
  const root = useAsync(
    () => agentsApi.getMemoryRecord(org, ROOT_ID, point),
    [agentsApi, org, point],
  );
  let body;
  if (root.loading) {
    body = <Progress />;
  } else if (root.value) {
    body = (
      <Box aria-label="Rendered MEMORY.md">
        <RecordMarkdown
          org={org}
          path={root.value.record.path}
          body={root.value.record.body}
        />
      </Box>
    );
  } else {
    body = (
      <Typography variant="body2" color="textSecondary">
        {statusOf(root.error) === 404
          ? 'No MEMORY.md at this commit: the memory has no root page.'
          : `Could not read MEMORY.md: ${root.error?.message}`}
      </Typography>
    );
  }
  return (
    <InfoCard
      title="MEMORY.md"
      deepLink={{ title: 'Open the record', link: links.record(ROOT_ID) }}
    >
      {body}
    </InfoCard>
  );
};
