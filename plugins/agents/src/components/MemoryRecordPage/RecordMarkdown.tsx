import { MarkdownContent } from '@backstage/core-components';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { linkedRecordId } from './linkedRecordId';

/**
 * A record's prose rendered as Markdown; its links to other records open their record pages at
 * the same point in time, other links stay as written.
 */
export const RecordMarkdown = ({
  org,
  path,
  body,
}: {
  org: string;
  path: string;
  body: string;
}) => {
  const links = useMemoryLinks(org);
  const transformLinkUri = (href: string) => {
    const linked = linkedRecordId(path, href);
    if (!linked) return href;
    const to = links.record(linked.id);
    return linked.fragment ? `${to}#${linked.fragment}` : to;
  };
  return (
    <MarkdownContent
      content={body}
      dialect="gfm"
      transformLinkUri={transformLinkUri}
    />
  );
};
