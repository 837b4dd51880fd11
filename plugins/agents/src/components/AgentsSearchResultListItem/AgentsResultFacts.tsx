import { Link } from '@backstage/core-components';
import { SearchDocument } from '@backstage/plugin-search-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import { RunPhaseChip } from '../RunPhaseChip';

/** The fields the agents collators index next to title, text and location. */
export type AgentsSearchDocumentFields = SearchDocument & {
  kind?: string;
  namespace?: string;
  /** Memory records carry the commit they were indexed at. */
  commit?: string;
  /** Runs. */
  phase?: string;
  repository?: string;
  stack?: string;
  /** Approvals. */
  state?: string;
  actionClass?: string;
  run?: string;
  runLocation?: string;
};

function whatOf(document: AgentsSearchDocumentFields): string {
  if (document.commit) {
    return `Memory record${document.kind ? ` · ${document.kind}` : ''}`;
  }
  if (document.kind === 'AgentDispatchRun') return 'Run';
  if (document.kind === 'AgentApproval') {
    return `Approval${
      document.actionClass ? ` · ${document.actionClass}` : ''
    }`;
  }
  return document.kind ?? 'Agents';
}

/** What a result is and the facts that tell results of its kind apart, as chips. */
export function AgentsResultFacts({
  document,
}: {
  document: AgentsSearchDocumentFields;
}) {
  const isRun = document.kind === 'AgentDispatchRun';
  return (
    <Box mb={2} display="flex" alignItems="center" flexWrap="wrap">
      <Chip label={whatOf(document)} size="small" />
      {isRun && (
        <Box mr={1}>
          <RunPhaseChip phase={document.phase} />
        </Box>
      )}
      {document.state && (
        <Chip
          label={document.state}
          size="small"
          color={document.state === 'pending' ? 'secondary' : 'default'}
          aria-label={`Approval ${document.state}`}
        />
      )}
      {document.repository && (
        <Chip label={`repository: ${document.repository}`} size="small" />
      )}
      {document.stack && (
        <Chip label={`stack: ${document.stack}`} size="small" />
      )}
      {document.namespace && (
        <Chip label={`org: ${document.namespace}`} size="small" />
      )}
      {document.run && document.runLocation && (
        <Link to={document.runLocation}>Run {document.run}</Link>
      )}
    </Box>
  );
}
