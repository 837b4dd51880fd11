import { InfoCard, MarkdownContent } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useState } from 'react';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { CodeBlock } from '../CodeBlock';
import { linkedRecordId } from './linkedRecordId';

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
  const links = useMemoryLinks(org);
  const [view, setView] = useState<'rendered' | 'source'>('rendered');
  const transformLinkUri = (href: string) => {
    const linked = linkedRecordId(path, href);
    if (!linked) return href;
    const to = links.record(linked.id);
    return linked.fragment ? `${to}#${linked.fragment}` : to;
  };
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
            <MarkdownContent
              content={body}
              dialect="gfm"
              transformLinkUri={transformLinkUri}
            />
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
