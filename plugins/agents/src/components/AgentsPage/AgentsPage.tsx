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
import Typography from '@material-ui/core/Typography';
import { AgentsNav } from '../AgentsNav';
import { BackendStatusCard } from '../BackendStatusCard';
import { OverviewCounters } from '../OverviewCounters';
import { SessionActivityCard } from '../SessionActivityCard';
import { SpendCard } from '../SpendCard';
import { TriggerHealthCard } from '../TriggerHealthCard';

/** The Agents overview page. @public */
export const AgentsPage = () => (
  <Page themeId="tool">
    <Header
      title="Agents"
      subtitle="Kubernetes-native coding agents: stacks, runs, approvals and workspaces"
    />
    <AgentsNav />
    <Content>
      <ContentHeader title="Overview">
        <SupportButton>
          Define agent stacks, dispatch agents from repositories, and watch
          their runs.
        </SupportButton>
      </ContentHeader>
      <Grid container spacing={3}>
        <OverviewCounters />
        <Grid item xs={12} md={6}>
          <SessionActivityCard />
        </Grid>
        <Grid item xs={12} md={6}>
          <TriggerHealthCard />
        </Grid>
        <Grid item xs={12} md={6}>
          <SpendCard />
        </Grid>
        <Grid item xs={12} md={6}>
          <BackendStatusCard />
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Configuration and activity">
            <Typography paragraph>
              <Link to="stacks">Agent stacks</Link>: base agents, models,
              prompts, tools and policies.
            </Typography>
            <Typography paragraph>
              <Link to="runs">Runs</Link>: every dispatch, live, with its
              transcript, artifacts and attempts.
            </Typography>
            <Typography paragraph>
              <Link to="sessions">Sessions</Link>: the runtime sessions of runs,
              their attempts and transcripts, and continuing them.
            </Typography>
            <Typography paragraph>
              <Link to="rules">Trigger rules</Link>: the events that dispatch
              stacks on their own, and dry runs against sample events.
            </Typography>
            <Typography>
              <Link to="approvals">Approvals</Link>: the human gates waiting for
              a decision.
            </Typography>
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  </Page>
);
