import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { WorkItem, WorkItemWorkspaceLink } from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef } from '../../api';
import { serverMessage, statusOf } from '../../lib/serverMessage';

/** The label the backend puts on a WorkItemWorkspaceLink, naming its workspace. */
export const WORKSPACE_LABEL = 'agents.krate.dev/workspace';

interface LinkedItem {
  link: WorkItemWorkspaceLink;
  /** Undefined when the work item is gone: a stale link. */
  item?: WorkItem;
}

/** Issues and pull requests linked to the workspace, each with its title and state. */
export const WorkspaceWorkItems = ({
  namespace,
  workspace,
}: {
  namespace: string;
  workspace: string;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const linked = useAsyncRetry(async (): Promise<LinkedItem[]> => {
    const links = await agentsApi.listResources('workitemworkspacelinks', {
      namespace,
      labelSelector: `${WORKSPACE_LABEL}=${workspace}`,
      limit: 100,
    });
    return Promise.all(
      (links.items as unknown as WorkItemWorkspaceLink[])
        .filter(link => link.spec.workspace === workspace)
        .map(async link => {
          try {
            const item = await agentsApi.getResource(
              'workitems',
              namespace,
              link.spec.workItem,
            );
            return { link, item: item as unknown as WorkItem };
          } catch (error) {
            if (statusOf(error) === 404) return { link };
            throw error;
          }
        }),
    );
  }, [agentsApi, namespace, workspace]);

  if (linked.loading) return <Progress />;
  if (linked.error) {
    return (
      <Alert severity="error">
        Could not list linked work items: {serverMessage(linked.error)}
      </Alert>
    );
  }
  if (!linked.value?.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        No linked work items: no issue or pull request owns or references this
        workspace.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Linked work items">
      {linked.value.map(({ link, item }) => (
        <ListItem key={link.metadata.name} disableGutters>
          <ListItemText
            primary={
              item ? (
                <>
                  {item.spec.url ? (
                    <Link to={item.spec.url}>
                      {item.spec.repository}#{item.spec.number}
                    </Link>
                  ) : (
                    `${item.spec.repository}#${item.spec.number}`
                  )}{' '}
                  {item.spec.title}
                </>
              ) : (
                `${link.spec.workItem} — the work item is gone (stale link)`
              )
            }
            secondary={
              item
                ? `${item.spec.kind} · ${item.spec.state}${
                    item.spec.boardColumn ? ` · ${item.spec.boardColumn}` : ''
                  }`
                : undefined
            }
          />
          <Chip size="small" label={link.spec.relation} />
        </ListItem>
      ))}
    </List>
  );
};
