import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  AgentTriggerRule,
  TriggerDryRunRequest,
} from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  dryRunResultFixture,
  ruleFixture,
} from '../../__testUtils__/ruleFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { RuleDryRunCard } from './RuleDryRunCard';

function renderCard(
  dryRunRule: AgentsApi['dryRunRule'],
  options: {
    rule?: AgentTriggerRule;
    denied?: string[];
    onDryRun?: () => void;
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(options.denied), [agentsApiRef, { dryRunRule }]]}
    >
      <RuleDryRunCard
        rule={options.rule ?? ruleFixture()}
        onDryRun={options.onDryRun}
      />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const eventField = () => screen.getByLabelText('Sample event');

/** Clicks Dry run once the permission is known, and waits for the answer. */
async function dryRun() {
  const button = screen.getByRole('button', { name: 'Dry run' });
  await waitFor(() => expect(button).toBeEnabled());
  fireEvent.click(button);
  await waitFor(() => expect(button).toBeEnabled());
}

const notMatched = dryRunResultFixture({
  lifecycle: 'draft',
  lifecycleDispatches: false,
  matched: false,
  outcome: 'not-matched',
  reason:
    'spec.matchers[0] (label.name equals \'agent:ready\'): label.name is "wontfix"',
  conditions: [
    {
      path: 'spec.source.events',
      description: 'event is one of label',
      matched: true,
      actual: 'label',
    },
    {
      path: 'spec.matchers[0]',
      description: "label.name equals 'agent:ready'",
      matched: false,
      actual: 'wontfix',
      reason: 'label.name is "wontfix"',
    },
    {
      path: 'spec.matchers[1]',
      description: "issue.state equals 'open'",
      matched: false,
      reason: 'issue.state is missing',
    },
  ],
  run: undefined,
  context: undefined,
  contextError: 'AgentContextLabel acme/acme-conventions does not exist',
  missingFields: ['event.issue.title', 'event.issue.body'],
});

describe('RuleDryRunCard', () => {
  it("sends the rule's first source, repository and the default sample, and shows the run it would create", async () => {
    const asked: [string, string, TriggerDryRunRequest][] = [];
    const onDryRun = jest.fn();
    await renderCard(
      async (name, namespace, request) => {
        asked.push([name, namespace, request]);
        return dryRunResultFixture();
      },
      { onDryRun },
    );
    expect(screen.getByLabelText('Repository')).toHaveValue(
      'acme/checkout-web',
    );
    await dryRun();

    const result = await screen.findByRole('region', {
      name: 'Dry-run result',
    });
    expect(asked).toHaveLength(1);
    const [name, namespace, request] = asked[0];
    expect([name, namespace]).toEqual(['checkout-agent-ready', 'acme']);
    expect(request).toEqual({
      source: 'label',
      repository: 'acme/checkout-web',
      event: JSON.parse((eventField() as HTMLTextAreaElement).value),
    });
    expect(request.event).toMatchObject({
      action: 'labeled',
      label: { name: 'agent:ready' },
      issue: { number: 42, state: 'open' },
    });
    expect(onDryRun).toHaveBeenCalledTimes(1);
    expect(result).toHaveTextContent(
      'Recorded as execution checkout-agent-ready-dry-1; nothing was dispatched.',
    );

    expect(
      within(result).getByLabelText('Outcome dispatched'),
    ).toBeInTheDocument();
    const labelRow = within(result).getByRole('row', {
      name: "spec.matchers[0]: label.name equals 'agent:ready'",
    });
    expect(within(labelRow).getByRole('img')).toHaveAccessibleName('matched');
    expect(labelRow).toHaveTextContent('"agent:ready"');
    expect(within(result).getByLabelText('Dedupe key')).toHaveTextContent(
      'acme/checkout-web#42',
    );
    expect(within(result).getByLabelText('Rendered prompt')).toHaveTextContent(
      'Fix issue #42: Checkout total rounds wrong',
    );
    expect(
      within(result).getByRole('link', { name: 'scripted-demo' }),
    ).toHaveAttribute('href', '/agents/stacks/acme/scripted-demo');
    expect(
      within(result).getByRole('group', { name: 'Policy preview' }),
    ).toHaveTextContent('pull-request');
    expect(
      within(result).getByLabelText(
        'Context part context-label from AgentContextLabel/acme-conventions',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/only active rules dispatch/),
    ).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Missing fields')).not.toBeInTheDocument();
  });

  it('shows failed and missing conditions, the missing fields, the lifecycle note and the context error', async () => {
    await renderCard(async () => notMatched);
    await dryRun();
    const result = await screen.findByRole('region', {
      name: 'Dry-run result',
    });

    expect(
      within(result).getByLabelText('Outcome not-matched'),
    ).toBeInTheDocument();
    expect(result).toHaveTextContent('label.name is "wontfix"');
    const labelRow = within(result).getByRole('row', {
      name: "spec.matchers[0]: label.name equals 'agent:ready'",
    });
    expect(within(labelRow).getByRole('img')).toHaveAccessibleName(
      'not matched',
    );
    expect(labelRow).toHaveTextContent('"wontfix"');
    const stateRow = within(result).getByRole('row', {
      name: "spec.matchers[1]: issue.state equals 'open'",
    });
    expect(stateRow).toHaveTextContent('missing');
    expect(stateRow).toHaveTextContent('issue.state is missing');
    expect(
      within(
        within(result).getByRole('row', {
          name: 'spec.source.events: event is one of label',
        }),
      ).getByRole('img'),
    ).toHaveAccessibleName('matched');

    expect(
      within(result).getByText(
        'This rule is draft: only active rules dispatch; this is what it would do if active.',
      ),
    ).toBeInTheDocument();
    expect(within(result).getByLabelText('Missing fields')).toHaveTextContent(
      'event.issue.title, event.issue.body',
    );
    expect(within(result).getByLabelText('Context error')).toHaveTextContent(
      'AgentContextLabel acme/acme-conventions does not exist',
    );
    expect(
      within(result).queryByLabelText('Rendered prompt'),
    ).not.toBeInTheDocument();
  });

  it("shows a schedule rule's next five firings", async () => {
    const firings = [1, 2, 3, 4, 5].map(day => `2026-03-0${day}T09:00:00.000Z`);
    await renderCard(async () => dryRunResultFixture({ nextFirings: firings }));
    await dryRun();
    const list = await screen.findByRole('list', { name: 'Next firings' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(5);
  });

  it('catches malformed JSON in the browser and sends nothing', async () => {
    const dryRunRule = jest.fn(async () => dryRunResultFixture());
    await renderCard(dryRunRule);
    fireEvent.change(eventField(), { target: { value: '{ "label": ' } });
    await dryRun();
    expect(await screen.findByText(/^Not valid JSON: /)).toBeInTheDocument();
    fireEvent.change(eventField(), { target: { value: '[1]' } });
    expect(screen.queryByText(/^Not valid JSON: /)).not.toBeInTheDocument();
    await dryRun();
    expect(
      await screen.findByText('The sample event must be a JSON object'),
    ).toBeInTheDocument();
    expect(dryRunRule).not.toHaveBeenCalled();
    expect(
      screen.queryByRole('region', { name: 'Dry-run result' }),
    ).not.toBeInTheDocument();
  });

  it("shows the server's message when it refuses the sample", async () => {
    const onDryRun = jest.fn();
    await renderCard(
      async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'InputError',
                message:
                  'repository: globex/web is not a repository of org acme',
              },
              response: { statusCode: 400 },
            }),
            {
              status: 400,
              statusText: 'Bad Request',
              headers: { 'content-type': 'application/json' },
            },
          ) as any,
        );
      },
      { onDryRun },
    );
    fireEvent.change(screen.getByLabelText('Repository'), {
      target: { value: 'globex/web' },
    });
    await dryRun();
    expect(
      await screen.findByText(
        'Could not dry run: repository: globex/web is not a repository of org acme',
      ),
    ).toBeInTheDocument();
    expect(onDryRun).not.toHaveBeenCalled();
  });

  it('says the result is for the previous input once the form changes', async () => {
    await renderCard(async () => dryRunResultFixture());
    await dryRun();
    await screen.findByRole('region', { name: 'Dry-run result' });
    expect(screen.queryByText(/previous input/)).not.toBeInTheDocument();
    fireEvent.change(eventField(), { target: { value: '{}' } });
    expect(
      screen.getByText(/the result below is for the previous input/),
    ).toBeInTheDocument();
  });

  it('loads the sample of the chosen source, and sends no repository when there is none', async () => {
    const dryRunRule = jest.fn(async () => notMatched);
    await renderCard(dryRunRule, {
      rule: ruleFixture('org-wide', {
        spec: { source: { events: ['label', 'push'] } },
      }),
    });
    expect(screen.getByLabelText('Repository')).toHaveValue('');
    fireEvent.mouseDown(screen.getByRole('button', { name: /label/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'push' }));
    expect(JSON.parse((eventField() as HTMLTextAreaElement).value)).toEqual(
      expect.objectContaining({
        ref: 'refs/heads/main',
        head_commit: expect.any(Object),
      }),
    );
    await dryRun();
    await waitFor(() => expect(dryRunRule).toHaveBeenCalled());
    expect(dryRunRule).toHaveBeenCalledWith(
      'org-wide',
      'acme',
      expect.not.objectContaining({ repository: expect.anything() }),
    );
    expect(dryRunRule.mock.calls[0]).toEqual([
      'org-wide',
      'acme',
      expect.objectContaining({ source: 'push' }),
    ]);
  });

  it('is disabled, with the reason, without the permission to create executions', async () => {
    // Another rule than the other tests: permission decisions are cached per resource.
    const dryRunRule = jest.fn(async () => dryRunResultFixture());
    await renderCard(dryRunRule, {
      rule: ruleFixture('locked-rule'),
      denied: ['agents.trigger-execution.create'],
    });
    expect(
      await screen.findByText(
        'Dry run is disabled: You may not dry-run trigger rules in acme (agents.trigger-execution.create)',
      ),
    ).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Dry run' });
    expect(button).toBeDisabled();
    fireEvent.submit(button.closest('form')!);
    expect(dryRunRule).not.toHaveBeenCalled();
  });

  it('edits the sample without an unstable layout warning', async () => {
    // jsdom lays nothing out: this stands in for a box whose measured content height flips
    // between two values, as it does when its own growth changes its width.
    let flip = false;
    Object.defineProperty(HTMLTextAreaElement.prototype, 'scrollHeight', {
      configurable: true,
      get(this: HTMLTextAreaElement) {
        if (this.value === 'x') return 20;
        flip = !flip;
        return flip ? 300 : 500;
      },
    });
    const error = jest.spyOn(console, 'error');
    try {
      await renderCard(jest.fn());
      const field = eventField() as HTMLTextAreaElement;
      fireEvent.change(field, { target: { value: `${field.value}\n` } });
      fireEvent.change(field, { target: { value: '{}' } });
      const unstable = error.mock.calls.filter(([message]) =>
        /Too many re-renders/.test(String(message)),
      );
      expect(unstable).toEqual([]);
    } finally {
      error.mockRestore();
      delete (HTMLTextAreaElement.prototype as { scrollHeight?: number })
        .scrollHeight;
    }
  });
});
