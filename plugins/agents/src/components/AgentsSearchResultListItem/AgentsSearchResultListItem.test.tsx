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
import { screen } from '@testing-library/react';
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
});

describe('the search result item of the new frontend system', () => {
  const extension = agentsAlphaPlugin.getExtension(
    'search-result-list-item:agents',
  );

  it('claims the agents and memory results only', () => {
    const { predicate } = createExtensionTester(extension).get(
      SearchResultListItemBlueprint.dataRefs.item,
    );
    expect(predicate!(stackResult)).toBe(true);
    expect(predicate!(memoryResult)).toBe(true);
    expect(predicate!(catalogResult)).toBe(false);
  });

  it.each([
    ['search-filter-result-type:agents/agents' as const, 'agents', 'Agents'],
    [
      'search-filter-result-type:agents/agents-memory' as const,
      'agents-memory',
      'Agents memory',
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
});
