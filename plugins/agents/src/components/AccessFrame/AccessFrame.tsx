import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { ReactNode } from 'react';
import { AgentsNav } from '../AgentsNav';
import { OrgSwitcher } from '../OrgSwitcher';
import { useAccessOrg } from './useAccessOrg';

export interface AccessFrameProps {
  title: string;
  subtitle: string;
  /** The page's content for the chosen org. */
  children: (org: string) => ReactNode;
}

/**
 * The shell of the identities, secrets and permissions pages: header, section navigation, org
 * switcher, and what to say while no org is chosen.
 */
export const AccessFrame = ({
  title,
  subtitle,
  children,
}: AccessFrameProps) => {
  const { org, orgs } = useAccessOrg();

  let body;
  if (org) {
    body = children(org);
  } else if (orgs.loading) {
    body = <Progress />;
  } else if (orgs.error) {
    body = (
      <ResponseErrorPanel title="Could not list the orgs" error={orgs.error} />
    );
  } else {
    body = (
      <EmptyState
        missing="data"
        title="No org to show"
        description="This page shows one org at a time, and no org has a stack you can see yet. Choose an org once one has."
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title={title}
        subtitle={org ? `${subtitle} · ${org}` : subtitle}
      />
      <AgentsNav />
      <Content>
        <Box mb={2}>
          <OrgSwitcher resets={['subjectKind', 'subject']} />
        </Box>
        {body}
      </Content>
    </Page>
  );
};
