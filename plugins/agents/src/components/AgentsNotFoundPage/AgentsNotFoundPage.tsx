import {
  Content,
  EmptyState,
  Header,
  Link,
  Page,
} from '@backstage/core-components';
import { useLocation } from 'react-router-dom';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { AgentsNav } from '../AgentsNav';

/** What an address under the Agents section that names no page shows: why, and the way back. */
export const AgentsNotFoundPage = () => {
  const paths = useAgentsPaths();
  const { pathname } = useLocation();
  return (
    <Page themeId="tool">
      <Header title="Page not found" subtitle="Agents" />
      <AgentsNav />
      <Content>
        <EmptyState
          missing="info"
          title="There is no Agents page at this address"
          description={`Nothing lives at ${pathname}. The link may be wrong or out of date; pick a section above or start from the overview.`}
          action={<Link to={paths.overview}>Go to the Agents overview</Link>}
        />
      </Content>
    </Page>
  );
};
