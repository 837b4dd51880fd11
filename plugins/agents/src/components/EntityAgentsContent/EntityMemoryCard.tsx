import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { shortSha } from '../../lib/commitText';
import { ColumnHeads } from '../ColumnHeads';

/** The memory records that name the entity (as owner or catalog ref) or its repository. */
export const EntityMemoryCard = ({
  entityRef,
  repository,
}: {
  entityRef: string;
  repository: string;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const records = useAsync(
    async () => agentsApi.listEntityMemoryRecords({ entityRef, repository }),
    [agentsApi, entityRef, repository],
  );
  let body;
  if (records.loading) {
    body = <Progress />;
  } else if (records.error || !records.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list the memory records"
        error={records.error ?? new Error('No answer')}
      />
    );
  } else if (records.value.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No memory records name this entity"
        description={`A record links here when its front matter names ${entityRef} or ${repository}.`}
      />
    );
  } else {
    body = (
      <Table size="small" aria-label="Memory records">
        <ColumnHeads columns={['Record', 'Kind', 'Org', 'File']} />
        <TableBody>
          {records.value.items.map(record => (
            <TableRow key={`${record.org}/${record.id}`}>
              <TableCell>
                <Link
                  to={paths.memoryRecord(record.id, { namespace: record.org })}
                >
                  {record.title}
                </Link>
              </TableCell>
              <TableCell>{record.kind}</TableCell>
              <TableCell>{record.org}</TableCell>
              <TableCell>
                <code title={`${record.path}@${record.commit}`}>
                  {record.path}@{shortSha(record.commit)}
                </code>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }
  return <InfoCard title="Memory">{body}</InfoCard>;
};
