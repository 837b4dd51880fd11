import { storageApiRef } from '@backstage/core-plugin-api';
import {
  MockStorageApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { deliveryFixture } from '../../__testUtils__/deliveryFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import { dryRunResultFixture } from '../../__testUtils__/ruleFixtures';
import {
  AgentsApi,
  agentsApiRef,
  AgentsResource,
  TriggerDraftDryRunRequest,
} from '../../api';
import { rootRouteRef } from '../../routes';
import { RulesPage } from './RulesPage';

// The editor drawer is slow to render when every package's tests run at once.
jest.setTimeout(30_000);

const stack = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name: 'scripted-demo', namespace: 'acme' },
  spec: { runtime: 'scripted' },
} as any;

const labelled = {
  action: 'labeled',
  label: { name: 'agent:ready' },
  issue: { number: 7, title: 'Rounding', state: 'open' },
};

function baseApi(): Partial<AgentsApi> {
  return {
    listRules: async () => ({ items: [], resourceVersion: '1' }),
    listStacks: async () => ({ items: [stack], resourceVersion: '1' }),
    listDeliveries: async () => ({
      items: [deliveryFixture('github-abc')],
      resourceVersion: '1',
    }),
    getDeliverySample: async name => ({
      delivery: name,
      eventType: 'issues.labeled',
      sources: ['label', 'issue'],
      repository: 'acme/checkout-web',
      event: labelled,
    }),
  };
}

function renderPage(
  storage: MockStorageApi,
  api: Partial<AgentsApi> = baseApi(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(), [agentsApiRef, api], [storageApiRef, storage]]}
    >
      <Routes>
        <Route path="/agents/rules" element={<RulesPage />} />
        <Route
          path="/agents/rules/:namespace/:name"
          element={<h1>rule page</h1>}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: ['/agents/rules?namespace=acme'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

const field = (label: string) =>
  screen.getByLabelText(label) as HTMLInputElement;
const editor = () =>
  screen
    .getByLabelText('metadata.name')
    .closest('[class*="MuiDrawer-paper"]') as HTMLElement;

async function openNewRule() {
  fireEvent.click(await screen.findByRole('button', { name: 'New rule' }));
  await screen.findByLabelText('metadata.name');
}

describe('authoring a rule on the Rules page', () => {
  it('opens the editor on a draft rule of the org, targeting its first stack', async () => {
    await renderPage(MockStorageApi.create());
    await openNewRule();

    expect(field('metadata.namespace').value).toBe('acme');
    expect(field('spec.stack').value).toBe('scripted-demo');
    expect(within(editor()).getByText(/AgentTriggerRule acme\//)).toBeVisible();
    fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
    expect(field('YAML').value).toContain('lifecycle: draft');
  });

  it('loads a picked recent delivery as the sample and shows the dry-run of the draft before apply', async () => {
    const asked: [string, TriggerDraftDryRunRequest][] = [];
    const applied: AgentsResource[][] = [];
    await renderPage(MockStorageApi.create(), {
      ...baseApi(),
      dryRunDraftRule: async (namespace, request) => {
        asked.push([namespace, request]);
        const result = dryRunResultFixture({ lifecycle: 'draft' });
        // A draft's evaluation is not stored: its execution has no uid.
        delete result.execution.metadata.uid;
        return result;
      },
      apply: async objects => {
        applied.push(objects);
        return {
          dryRun: false,
          items: [{ index: 0, result: 'created', object: objects[0] }],
        } as any;
      },
    });
    await openNewRule();
    fireEvent.change(field('metadata.name'), {
      target: { value: 'checkout-agent-ready' },
    });

    fireEvent.mouseDown(
      await screen.findByRole('button', {
        name: /Sample from a recent delivery/,
      }),
    );
    fireEvent.click(
      await screen.findByRole('option', {
        name: /issues\.labeled · acme\/checkout-web · .* · processed/,
      }),
    );
    await waitFor(() =>
      expect(JSON.parse(field('Sample event').value)).toEqual(labelled),
    );
    expect(field('Repository').value).toBe('acme/checkout-web');

    const buttons = within(editor())
      .getAllByRole('button')
      .map(b => b.textContent);
    expect(buttons.indexOf('Dry run')).toBeLessThan(buttons.indexOf('Apply'));
    const dryRun = screen.getByRole('button', { name: 'Dry run' });
    await waitFor(() => expect(dryRun).toBeEnabled());
    fireEvent.click(dryRun);
    const result = await screen.findByRole('region', {
      name: 'Dry-run result',
    });
    expect(
      within(result).getByLabelText('Outcome dispatched'),
    ).toBeInTheDocument();
    expect(result).toHaveTextContent(
      'Not recorded: the rule is a draft; nothing was dispatched.',
    );
    expect(asked).toHaveLength(1);
    const [namespace, request] = asked[0];
    expect(namespace).toBe('acme');
    // The delivery is a label and an issue event; the draft listens to issue events.
    expect(request).toMatchObject({
      source: 'issue',
      repository: 'acme/checkout-web',
      event: labelled,
      rule: {
        kind: 'AgentTriggerRule',
        metadata: { name: 'checkout-agent-ready', namespace: 'acme' },
        spec: { lifecycle: 'draft', stack: 'scripted-demo' },
      },
    });
    expect(applied).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(
      await screen.findByRole('heading', { name: 'rule page' }),
    ).toBeInTheDocument();
    expect(applied[0][0].metadata.name).toBe('checkout-agent-ready');
  });

  it('keeps a saved draft of a new rule for the next time New rule is opened', async () => {
    const storage = MockStorageApi.create();
    const first = await renderPage(storage);
    await openNewRule();
    fireEvent.change(field('metadata.name'), {
      target: { value: 'half-written' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() =>
      expect(
        storage.forBucket('agents-drafts').snapshot('AgentTriggerRule/new')
          .presence,
      ).toBe('present'),
    );
    first.unmount();

    await renderPage(storage);
    await openNewRule();
    expect(field('metadata.name').value).toBe('');
    expect(screen.getByLabelText('saved draft')).toHaveTextContent(
      'You have a draft of this object saved at',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    expect(field('metadata.name').value).toBe('half-written');
  });
});
