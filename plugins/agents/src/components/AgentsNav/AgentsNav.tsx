import { HeaderTabs } from '@backstage/core-components';
import { Link, useLocation } from 'react-router-dom';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';

/** The Agents section's sub-navigation, shown under each page header. */
export const AgentsNav = () => {
  const paths = useAgentsPaths();
  const { pathname } = useLocation();
  const tabs = [
    { id: 'overview', label: 'Overview', to: paths.overview },
    { id: 'runs', label: 'Runs', to: paths.runs() },
    { id: 'approvals', label: 'Approvals', to: paths.approvals() },
    { id: 'workspaces', label: 'Workspaces', to: paths.workspaces() },
    { id: 'stacks', label: 'Stacks', to: paths.stacks },
  ];
  // The longest section path the current page is under.
  const current = tabs.reduce(
    (best, tab, index) =>
      (pathname === tab.to || pathname.startsWith(`${tab.to}/`)) &&
      tab.to.length >= tabs[best].to.length
        ? index
        : best,
    0,
  );
  return (
    <HeaderTabs
      selectedIndex={current}
      tabs={tabs.map(({ id, label, to }) => ({
        id,
        label,
        tabProps: { component: Link, to } as {},
      }))}
    />
  );
};
