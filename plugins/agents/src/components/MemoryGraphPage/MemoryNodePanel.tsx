import { InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { MemoryGraphNode } from '../../api';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { shortCitation } from '../../lib/commitText';
import { DetailRow } from '../DetailRow';

export interface MemoryNodePanelProps {
  org: string;
  /** The commit the graph was read at, for the source file's citation. */
  commit: string;
  node?: MemoryGraphNode;
  colourOf: (kind: string) => string;
  onShowNeighbourhood: (id: string) => void;
}

/** The selected record: kind, owner, repositories, its file, and the way to its neighbourhood. */
export const MemoryNodePanel = ({
  org,
  commit,
  node,
  colourOf,
  onShowNeighbourhood,
}: MemoryNodePanelProps) => {
  const links = useMemoryLinks(org);
  if (!node) {
    return (
      <InfoCard title="Record">
        <Typography variant="body2" color="textSecondary">
          Select a node to see its kind, owner, repositories and file.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title={node.title} subheader={node.id}>
      <Box aria-label="Selected record">
        <DetailRow label="Kind">
          <Box display="flex" alignItems="center" gridGap={6}>
            <Box
              component="span"
              width={10}
              height={10}
              borderRadius="50%"
              style={{ background: colourOf(node.kind) }}
            />
            {node.kind}
          </Box>
        </DetailRow>
        <DetailRow label="Owner">{node.owner ?? '—'}</DetailRow>
        <DetailRow label="Repositories">
          {node.repositories.length ? node.repositories.join(', ') : '—'}
        </DetailRow>
        <DetailRow label="Source">
          <Link to={links.record(node.id)}>
            {shortCitation(node.path, commit)}
          </Link>
        </DetailRow>
      </Box>
      <Box mt={2}>
        <Button
          variant="outlined"
          color="primary"
          onClick={() => onShowNeighbourhood(node.id)}
        >
          Show neighbourhood
        </Button>
      </Box>
    </InfoCard>
  );
};
