import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { approvalFixture, runFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef, RunListFilters } from '../../api';
import { rootRouteRef } from '../../routes';
import { EntityAgentsCard } from './EntityAgentsCard';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', annotations },
});

function renderCard(subject: Entity, api: Partial<AgentsApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, api]]}>
      <EntityProvider entity={subject}>
        <EntityAgentsCard pollIntervalMs={60_000} />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const annotated = entity({
  'agents.krate.dev/repository': 'acme/payments-api',
});

describe('EntityAgentsCard', () => {
  it('lists recent runs with phases and the repository pending approvals', async () => {
    const runFilters: RunListFilters[] = [];
    const mine = approvalFixture('approval-1');
    mine.spec.repository = 'acme/payments-api';
    const other = approvalFixture('approval-2');
    other.spec.repository = 'acme/checkout-web';
    await renderCard(annotated, {
      listRuns: async filters => {
        runFilters.push(filters ?? {});
        return {
          items: [
            runFixture('run-2', { status: { phase: 'Waiting' } }),
            runFixture('run-1', { status: { phase: 'Succeeded' } }),
          ],
          resourceVersion: '1',
        };
      },
      listApprovals: async () => ({
        items: [mine, other],
        resourceVersion: '1',
      }),
    });
    const runs = await screen.findByRole('list', { name: 'Recent runs' });
    expect(within(runs).getByRole('link', { name: 'run-2' })).toHaveAttribute(
      'href',
      '/agents/runs/run-2',
    );
    expect(within(runs).getByLabelText('Phase Waiting')).toBeInTheDocument();
    expect(within(runs).getByLabelText('Phase Succeeded')).toBeInTheDocument();
    expect(runFilters[0]).toEqual({
      namespace: 'acme',
      repository: 'acme/payments-api',
      limit: 5,
    });
    expect(screen.getByLabelText('1 pending approvals')).toHaveAttribute(
      'href',
      '/agents/approvals?namespace=acme',
    );
    const approvals = screen.getByRole('list', { name: 'Pending approvals' });
    expect(within(approvals).getAllByRole('listitem')).toHaveLength(1);
  });

  it('says when the repository has no runs', async () => {
    await renderCard(annotated, {
      listRuns: async () => ({ items: [], resourceVersion: '1' }),
      listApprovals: async () => ({ items: [], resourceVersion: '1' }),
    });
    expect(
      await screen.findByText('No agent runs on acme/payments-api yet.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('0 pending approvals')).toBeInTheDocument();
  });

  it('shows the error when runs cannot be read', async () => {
    await renderCard(annotated, {
      listRuns: async () => {
        throw new Error('backend down');
      },
      listApprovals: async () => ({ items: [], resourceVersion: '1' }),
    });
    expect(
      await screen.findByText(/Could not read agent runs/),
    ).toBeInTheDocument();
  });

  it('explains the missing annotation', async () => {
    await renderCard(entity(), {});
    expect(screen.getByText(/Missing Annotation/)).toBeInTheDocument();
  });
});
