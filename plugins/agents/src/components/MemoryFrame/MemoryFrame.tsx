import {
  Content,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { ReactNode } from 'react';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { AgentsNav } from '../AgentsNav';
import { MemoryTimeTravel } from '../MemoryTimeTravel';
import { OrgSwitcher } from '../OrgSwitcher';
import { MemorySectionLinks } from './MemorySectionLinks';
import { useMemoryOrg } from './useMemoryOrg';

export interface MemoryFrameProps {
  title: string;
  /** The page's content for the chosen org, shown once there is one with memory. */
  children: (org: string) => ReactNode;
  /** False on pages about the memory's changes rather than its content at a point in time. */
  timeTravel?: boolean;
}

/**
 * The shell of every memory page: header, section navigation, org switcher and time-travel
 * control, and what to say when no org with memory is chosen.
 */
export const MemoryFrame = ({
  title,
  children,
  timeTravel = true,
}: MemoryFrameProps) => {
  const paths = useAgentsPaths();
  const { org, orgs } = useMemoryOrg();

  let body;
  if (org && (!orgs.value || orgs.value.includes(org))) {
    body = children(org);
  } else if (orgs.loading) {
    body = <Progress />;
  } else if (orgs.error) {
    body = (
      <ResponseErrorPanel
        title="Could not list the orgs with memory"
        error={orgs.error}
      />
    );
  } else if (!org) {
    body = (
      <EmptyState
        missing="data"
        title="No memory to show"
        description="No org you may read has a memory repository configured."
      />
    );
  } else {
    body = (
      <EmptyState
        missing="info"
        title={`${org} has no memory`}
        description="Its memory repository is not configured, or you may not read it."
        action={
          <Box display="flex" gridGap={16}>
            {orgs.value?.map(other => (
              <Link key={other} to={paths.memory({ namespace: other })}>
                Memory of {other}
              </Link>
            ))}
          </Box>
        }
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title={title}
        subtitle={org ? `Company memory of ${org}` : 'Company memory'}
      />
      <AgentsNav />
      <Content>
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          gridGap={16}
          mb={2}
        >
          <OrgSwitcher seen={orgs.value} resets={['org', 'id', 'around']} />
          {timeTravel && <MemoryTimeTravel />}
          <MemorySectionLinks org={org} />
        </Box>
        {body}
      </Content>
    </Page>
  );
};
