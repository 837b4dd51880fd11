import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { ruleFixture } from '../../__testUtils__/ruleFixtures';
import { rootRouteRef } from '../../routes';
import { RulesTable } from './RulesTable';

describe('RulesTable', () => {
  it('filters the rules by the words of their rows', async () => {
    await renderInTestApp(
      <RulesTable
        rules={[
          ruleFixture('checkout-agent-ready'),
          ruleFixture('nightly-audit'),
        ]}
      />,
      { mountedRoutes: { '/agents': rootRouteRef } },
    );
    const table = screen.getByRole('table', { name: 'Trigger rules' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);

    fireEvent.change(screen.getByLabelText('Filter'), {
      target: { value: 'NIGHTLY acme' },
    });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(
      within(table).getByRole('link', { name: 'nightly-audit' }),
    ).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Filter'), {
      target: { value: 'no-such-rule' },
    });
    expect(
      screen.getByText('No rule matches “no-such-rule”.'),
    ).toBeInTheDocument();
  });
});
