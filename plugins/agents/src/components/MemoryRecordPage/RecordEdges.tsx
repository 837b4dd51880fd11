import { InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { MemoryRecord } from '../../api';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { DetailRow } from '../DetailRow';

/** The records this one points to, by edge kind, with its body links as `links-to`. */
export const RecordEdges = ({
  org,
  record,
}: {
  org: string;
  record: MemoryRecord;
}) => {
  const links = useMemoryLinks(org);
  const groups = Object.entries(record.edges);
  if (record.links.length) groups.push(['links-to', record.links]);
  return (
    <InfoCard title="Edges">
      {groups.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          This record points to no other record.
        </Typography>
      ) : (
        groups.map(([kind, ids]) => (
          <DetailRow key={kind} label={kind}>
            <Box
              component="ul"
              m={0}
              pl={0}
              style={{ listStyle: 'none' }}
              aria-label={`${kind} edges`}
            >
              {ids.map(id => (
                <li key={id}>
                  <Link to={links.record(id)}>{id}</Link>
                </li>
              ))}
            </Box>
          </DetailRow>
        ))
      )}
    </InfoCard>
  );
};
