import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Typography from '@material-ui/core/Typography';
import { RunMemoryPart } from '../../api';
import { shortSha } from '../../lib/commitText';
import { CodeBlock } from '../CodeBlock';

/** `path@1a2b3c4#L3` for a `path@<full commit>#L3` citation; other text as it is. */
export function shortenCitation(citation: string): string {
  return citation.replace(
    /@([0-9a-f]{40})(?=#|$)/,
    (_, commit: string) => `@${shortSha(commit)}`,
  );
}

/** The memory parts of the run's context, each collapsed under its citation. */
export const RunMemoryParts = ({ parts }: { parts: RunMemoryPart[] }) => (
  <>
    {parts.map((part, index) => (
      <Accordion key={index} variant="outlined">
        <AccordionSummary>
          <Typography variant="body2">
            <code title={part.provenance.ref}>
              {shortenCitation(part.provenance.ref)}
            </code>
            {part.redactions ? ` · ${part.redactions} redacted` : ''}
          </Typography>
        </AccordionSummary>
        <AccordionDetails>
          <CodeBlock
            label={`Memory ${part.provenance.source}`}
            wrap
            maxHeight={320}
          >
            {part.content}
          </CodeBlock>
        </AccordionDetails>
      </Accordion>
    ))}
  </>
);
