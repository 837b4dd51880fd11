import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useState } from 'react';
import { CodeBlock } from '../CodeBlock';
import { RecordMarkdown } from './RecordMarkdown';

/**
 * A record's prose rendered as Markdown, its links to other records opening their record pages
 * at the same point in time, and the file as written (front matter included) a tab away.
 */
export const RecordContent = ({
  org,
  path,
  body,
  content,
}: {
  org: string;
  path: string;
  body: string;
  content: string;
}) => {
  const [view, setView] = useState<'rendered' | 'source'>('rendered');
  return (
    <InfoCard title={path}>
      <Tabs
        value={view}
        onChange={(_event, value) => setView(value)}
        indicatorColor="primary"
        aria-label="Record view"
      >
        <Tab value="rendered" label="Rendered" />
        <Tab value="source" label="Source" />
      </Tabs>
      <Box mt={2}>
        {view === 'rendered' ? (
          <Box aria-label={`Rendered ${path}`}>
            <RecordMarkdown org={org} path={path} body={body} />
          </Box>
        ) : (
          <CodeBlock label={`Content of ${path}`} wrap>
            {content}
          </CodeBlock>
        )}
      </Box>
    </InfoCard>
  );
};
