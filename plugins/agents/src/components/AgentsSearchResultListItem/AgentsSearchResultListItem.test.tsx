import { SearchResultListItemExtensions } from '@backstage/plugin-search-react';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import {
  createExtensionTester,
  renderInTestApp as renderInNewApp,
} from '@backstage/frontend-test-utils';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import agentsAlphaPlugin from '../../alpha';
import { AgentsSearchResultListItem } from '../../plugin';

const stackResult = {
  type: 'agents',
  document: {
    title: 'release-helper (AgentStack)',
    text: 'A reusable agent definition — Prepares releases',
    location: '/agents/stacks/acme/release-helper',
    kind: 'AgentStack',
    namespace: 'acme',
  },
};
const memoryResult = {
  type: 'agents-memory',
  document: {
    title: 'Payments API',
    text: 'The payments service',
    location: '/agents/memory/records?org=acme&id=services%2Fpayments-api',
    kind: 'service',
    namespace: 'acme',
    commit: 'c0ffee',
  },
};
const runResult = {
  type: 'agents-run',
  document: {
    title: 'Fix the flaky checkout test',
    text: 'Fix the flaky checkout test · repository acme/payments · stack fixer',
    location: '/agents/runs/run-abc12?namespace=acme',
    kind: 'AgentDispatchRun',
    namespace: 'acme',
    name: 'run-abc12',
    repository: 'acme/payments',
    stack: 'fixer',
    phase: 'Failed',
  },
};
const approvalResult = {
  type: 'agents-approval',
  document: {
    title: 'Bash: npm publish',
    text: 'shell approval, pending · requested by fixer',
    location: '/agents/resources/agentapprovals/acme/ap-1',
    kind: 'AgentApproval',
    namespace: 'acme',
    name: 'ap-1',
    state: 'pending',
    actionClass: 'shell',
    run: 'run-abc12',
    runLocation: '/agents/runs/run-abc12?namespace=acme',
  },
};
const catalogResult = {
  type: 'software-catalog',
  document: {
    title: 'payments-api',
    text: 'A component',
    location: '/catalog/default/component/payments-api',
  },
};

describe('AgentsSearchResultListItem in the legacy frontend system', () => {
  it('renders agents results with a link to their page, and leaves other results alone', async () => {
    await renderInTestApp(
      <SearchResultListItemExtensions
        results={[stackResult, memoryResult, catalogResult]}
      >
        <AgentsSearchResultListItem />
      </SearchResultListItemExtensions>,
    );
    const stack = await screen.findByLabelText(
      'Agents result release-helper (AgentStack)',
    );
    expect(stack).toHaveTextContent('AgentStack');
    expect(stack).toHaveTextContent('org: acme');
    expect(
      screen.getByRole('link', { name: 'release-helper (AgentStack)' }),
    ).toHaveAttribute('href', '/agents/stacks/acme/release-helper');
    expect(
      screen.getByLabelText('Agents result Payments API'),
    ).toHaveTextContent('Memory record · service');
    expect(screen.queryByLabelText('Agents result payments-api')).toBeNull();
    expect(screen.getByText('payments-api')).toBeInTheDocument();
  });

  it('shows a run with its phase, repository and stack, and an approval with its state and run', async () => {
    await renderInTestApp(
      <SearchResultListItemExtensions results={[runResult, approvalResult]}>
        <AgentsSearchResultListItem />
      </SearchResultListItemExtensions>,
    );
    const run = await screen.findByLabelText(
      'Agents result Fix the flaky checkout test',
    );
    expect(within(run).getByLabelText('Phase Failed')).toHaveTextContent(
      'Failed',
    );
    expect(run).toHaveTextContent('Run');
    expect(run).toHaveTextContent('repository: acme/payments');
    expect(run).toHaveTextContent('stack: fixer');
    expect(
      within(run).getByRole('link', { name: 'Fix the flaky checkout test' }),
    ).toHaveAttribute('href', '/agents/runs/run-abc12?namespace=acme');

    const approval = screen.getByLabelText('Agents result Bash: npm publish');
    expect(approval).toHaveTextContent('Approval · shell');
    expect(within(approval).getByLabelText('Approval pending')).toBeVisible();
    expect(within(approval).queryByLabelText(/^Phase/)).toBeNull();
    expect(
      within(approval).getByRole('link', { name: 'Run run-abc12' }),
    ).toHaveAttribute('href', '/agents/runs/run-abc12?namespace=acme');
    expect(
      within(approval).getByRole('link', { name: 'Bash: npm publish' }),
    ).toHaveAttribute('href', '/agents/resources/agentapprovals/acme/ap-1');
  });
});

describe('the search result item of the new frontend system', () => {
  const extension = agentsAlphaPlugin.getExtension(
    'search-result-list-item:agents',
  );

  it('claims the agents, memory, run and approval results only', () => {
    const { predicate } = createExtensionTester(extension).get(
      SearchResultListItemBlueprint.dataRefs.item,
    );
    expect(predicate!(stackResult)).toBe(true);
    expect(predicate!(memoryResult)).toBe(true);
    expect(predicate!(runResult)).toBe(true);
    expect(predicate!(approvalResult)).toBe(true);
    expect(predicate!(catalogResult)).toBe(false);
  });

  it.each([
    ['search-filter-result-type:agents/agents' as const, 'agents', 'Agents'],
    [
      'search-filter-result-type:agents/agents-memory' as const,
      'agents-memory',
      'Agents memory',
    ],
    [
      'search-filter-result-type:agents/agents-run' as const,
      'agents-run',
      'Agent runs',
    ],
    [
      'search-filter-result-type:agents/agents-approval' as const,
      'agents-approval',
      'Approvals',
    ],
  ])('adds the result type %s to the search filter', (id, value, name) => {
    const resultType = createExtensionTester(
      agentsAlphaPlugin.getExtension(id),
    ).get(SearchFilterResultTypeBlueprint.dataRefs.resultType);
    expect(resultType).toMatchObject({ value, name });
  });

  it('renders a result linking to the object page', async () => {
    const { component: Item } = createExtensionTester(extension).get(
      SearchResultListItemBlueprint.dataRefs.item,
    );
    await renderInNewApp(<Item result={stackResult.document} />);
    expect(
      await screen.findByRole('link', { name: 'release-helper (AgentStack)' }),
    ).toHaveAttribute('href', '/agents/stacks/acme/release-helper');
  });

  it('renders a run result with its phase', async () => {
    const { component: Item } = createExtensionTester(extension).get(
      SearchResultListItemBlueprint.dataRefs.item,
    );
    await renderInNewApp(<Item result={runResult.document} />);
    expect(
      await screen.findByRole('link', { name: 'Fix the flaky checkout test' }),
    ).toHaveAttribute('href', '/agents/runs/run-abc12?namespace=acme');
    expect(screen.getByLabelText('Phase Failed')).toBeInTheDocument();
  });
});
