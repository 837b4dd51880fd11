import { Breadcrumbs, Link } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';

export interface ResourceBreadcrumbsProps {
  /** The list the org and repository crumbs lead back to, filtered by them. */
  list: 'runs' | 'workspaces' | 'stacks' | 'rules' | 'sessions';
  namespace: string;
  /** `<org>/<repository>`, for resources that belong to one. */
  repository?: string;
  /** The resource's own name. */
  current: string;
  label: string;
}

/** Org → repository → resource, each crumb linking to the list it scopes. */
export const ResourceBreadcrumbs = (props: ResourceBreadcrumbsProps) => {
  const { list, namespace, repository, current, label } = props;
  const paths = useAgentsPaths();
  const listOf = {
    runs: paths.runs,
    workspaces: paths.workspaces,
    stacks: paths.stackList,
    rules: paths.ruleList,
    sessions: paths.sessions,
  }[list];
  return (
    <Breadcrumbs aria-label={label}>
      <Link to={listOf({ namespace })}>{namespace}</Link>
      {repository && (
        <Link to={listOf({ namespace, repository })}>{repository}</Link>
      )}
      <Typography>{current}</Typography>
    </Breadcrumbs>
  );
};
