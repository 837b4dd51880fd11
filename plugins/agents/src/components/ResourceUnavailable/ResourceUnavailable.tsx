import {
  EmptyState,
  Link,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { statusOf } from '../../lib/serverMessage';

export interface ResourceUnavailableProps {
  error?: Error;
  /** Heading when the object does not exist (404). */
  missingTitle: string;
  /** Heading for any other failure to read it. */
  errorTitle: string;
  /** Where the list of its kind is, offered when it does not exist. */
  list: { label: string; to: string };
}

/** What a detail page shows instead of its object: "no such object", or why it could not be read. */
export const ResourceUnavailable = ({
  error,
  missingTitle,
  errorTitle,
  list,
}: ResourceUnavailableProps) =>
  statusOf(error) === 404 ? (
    <EmptyState
      missing="info"
      title={missingTitle}
      description="It may have been deleted, or the link is wrong."
      action={<Link to={list.to}>{list.label}</Link>}
    />
  ) : (
    <ResponseErrorPanel title={errorTitle} error={error!} />
  );
