import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Link,
  Page,
  SupportButton,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { BackendStatusCard } from '../BackendStatusCard';

/** The Agents overview page. @public */
export const AgentsPage = () => (
  <Page themeId="tool">
    <Header
      title="Agents"
      subtitle="Kubernetes-native coding agents: stacks, runs, approvals and workspaces"
    />
    <Content>
      <ContentHeader title="Overview">
        <SupportButton>
          Define agent stacks, dispatch agents from repositories, and watch
          their runs.
        </SupportButton>
      </ContentHeader>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <BackendStatusCard />
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Configuration">
            <Link to="stacks">Agent stacks</Link>: base agents, models, prompts,
            tools and policies.
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  </Page>
);
