import { HeaderTabs } from '@backstage/core-components';
import { Link, useLocation } from 'react-router-dom';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useSelectedOrg } from '../OrgSwitcher';

/** The Agents section's sub-navigation, shown under each page header; it keeps the chosen org. */
export const AgentsNav = () => {
  const paths = useAgentsPaths();
  const { pathname } = useLocation();
  const org = { namespace: useSelectedOrg() };
  const tabs = [
    { id: 'overview', label: 'Overview', path: paths.overview },
    { id: 'runs', label: 'Runs', path: paths.runs(), to: paths.runs(org) },
    {
      id: 'sessions',
      label: 'Sessions',
      path: paths.sessions(),
      to: paths.sessions(org),
    },
    {
      id: 'approvals',
      label: 'Approvals',
      path: paths.approvals(),
      to: paths.approvals(org),
    },
    {
      id: 'workspaces',
      label: 'Workspaces',
      path: paths.workspaces(),
      to: paths.workspaces(org),
    },
    {
      id: 'stacks',
      label: 'Stacks',
      path: paths.stacks,
      to: paths.stackList(org),
    },
    {
      id: 'rules',
      label: 'Rules',
      path: paths.rules,
      to: paths.ruleList(org),
    },
    {
      id: 'budgets',
      label: 'Budgets',
      path: paths.budgets(),
      to: paths.budgets(org),
    },
    { id: 'tools', label: 'Tools', path: paths.tools(), to: paths.tools(org) },
    {
      id: 'mcp',
      label: 'MCP',
      path: paths.mcpServers(),
      to: paths.mcpServers(org),
    },
    {
      id: 'skills',
      label: 'Skills',
      path: paths.skills(),
      to: paths.skills(org),
    },
    {
      id: 'identities',
      label: 'Identities',
      path: paths.identities(),
      to: paths.identities(org),
    },
    {
      id: 'secrets',
      label: 'Secrets',
      path: paths.secrets(),
      to: paths.secrets(org),
    },
    {
      id: 'permissions',
      label: 'Permissions',
      path: paths.permissions(),
      to: paths.permissions(org),
    },
    {
      id: 'memory',
      label: 'Memory',
      path: paths.memory(),
      to: paths.memory(org),
    },
  ];
  // The longest section path the current page is under.
  const current = tabs.reduce(
    (best, tab, index) =>
      (pathname === tab.path || pathname.startsWith(`${tab.path}/`)) &&
      tab.path.length >= tabs[best].path.length
        ? index
        : best,
    0,
  );
  return (
    <HeaderTabs
      selectedIndex={current}
      tabs={tabs.map(({ id, label, path, to = path }) => ({
        id,
        label,
        tabProps: { component: Link, to } as {},
      }))}
    />
  );
};
