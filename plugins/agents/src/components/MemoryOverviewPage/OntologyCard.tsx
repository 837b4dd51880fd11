import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { MemoryStatus } from '../../api';
import { MemoryIssuesTable } from '../MemoryIssuesTable';

/** Whether the records follow `ontology.yaml`, and every problem when they do not. */
export const OntologyCard = ({
  ontology,
}: {
  ontology: MemoryStatus['ontology'];
}) => (
  <InfoCard title="Ontology">
    <Typography variant="body2" paragraph>
      {ontology.valid
        ? 'Valid: every record follows ontology.yaml.'
        : `${ontology.issues.length} issues with the records or ontology.yaml.`}{' '}
      Node kinds: {ontology.nodeKinds.join(', ') || 'none'}. Edge kinds:{' '}
      {ontology.edgeKinds.join(', ') || 'none'}.
    </Typography>
    {!ontology.valid && (
      <MemoryIssuesTable issues={ontology.issues} label="Ontology issues" />
    )}
  </InfoCard>
);
