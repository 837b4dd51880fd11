import { AgentContextBundle } from '@krate/plugin-agents-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { ReactNode } from 'react';

type Part = AgentContextBundle['spec']['parts'][number];

const shortDigest = (digest?: string) =>
  digest ? digest.replace(/^sha256:/, '').slice(0, 12) : '—';

export interface ContextPartsProps {
  /** What the parts are: a stored bundle, or a preview. */
  label: ReactNode;
  parts: Part[];
  digest?: string;
}

/** A context bundle part by part: where each came from, how much was redacted, its digest. */
export const ContextParts = ({ label, parts, digest }: ContextPartsProps) => {
  const redactions = parts.reduce((sum, part) => sum + part.redactions, 0);
  return (
    <>
      <Typography variant="body2">
        {label} · digest <code title={digest}>{shortDigest(digest)}</code> ·{' '}
        {parts.length} parts · {redactions} redaction
        {redactions === 1 ? '' : 's'}
      </Typography>
      <Box mt={1}>
        {parts.map((part, index) => (
          <Accordion
            key={index}
            variant="outlined"
            TransitionProps={{ unmountOnExit: true }}
          >
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              aria-label={`Context part ${part.kind} from ${part.provenance.source}`}
            >
              <Box display="flex" flexDirection="column">
                <Typography variant="body2">
                  <strong>{part.kind}</strong> from {part.provenance.source}
                  {part.provenance.ref ? ` @ ${part.provenance.ref}` : ''}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  {part.redactions} redacted · {shortDigest(part.digest)}
                </Typography>
              </Box>
            </AccordionSummary>
            <AccordionDetails>
              <Box
                component="pre"
                m={0}
                style={{ whiteSpace: 'pre-wrap', width: '100%' }}
              >
                {part.content}
              </Box>
            </AccordionDetails>
          </Accordion>
        ))}
      </Box>
    </>
  );
};
