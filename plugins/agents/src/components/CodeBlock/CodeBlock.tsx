import Box from '@material-ui/core/Box';
import { ReactNode } from 'react';

export interface CodeBlockProps {
  /** The accessible name of the block, e.g. "Rendered prompt". */
  label: string;
  /** Wrap long lines (prose such as prompts) instead of scrolling sideways (JSON, commands). */
  wrap?: boolean;
  maxHeight?: number;
  children: ReactNode;
}

/** Monospace text as it is: prompts, request bodies, commands, profiles. */
export const CodeBlock = ({
  label,
  wrap,
  maxHeight,
  children,
}: CodeBlockProps) => (
  <Box
    component="pre"
    p={1}
    m={0}
    bgcolor="background.default"
    maxHeight={maxHeight}
    overflow="auto"
    style={wrap ? { whiteSpace: 'pre-wrap' } : undefined}
    aria-label={label}
  >
    {children}
  </Box>
);
