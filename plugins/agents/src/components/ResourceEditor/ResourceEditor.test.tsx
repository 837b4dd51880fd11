import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { AgentStackKind } from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AgentsApi, agentsApiRef, AgentsResource } from '../../api';
import { kubectlApplyCommand, ResourceEditor } from './ResourceEditor';
import { mockPermissions } from '../../__testUtils__/permissions';

const draft: AgentsResource = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name: 'reviewer', namespace: 'acme' },
  spec: { runtime: 'scripted' },
};

function renderEditor(
  api: Partial<AgentsApi> = {},
  applied?: AgentsResource,
  deniedPermissions: string[] = [],
  initialDraft: AgentsResource = draft,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(deniedPermissions), [agentsApiRef, api]]}
    >
      <ResourceEditor
        definition={AgentStackKind}
        initialDraft={initialDraft}
        applied={applied}
      />
    </TestApiProvider>,
  );
}

function yamlBox() {
  fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
  return screen.getByLabelText('YAML') as HTMLTextAreaElement;
}

describe('ResourceEditor', () => {
  it('keeps the form and the YAML view in sync', async () => {
    await renderEditor();
    fireEvent.change(screen.getByLabelText('spec.model'), {
      target: { value: 'claude-sonnet' },
    });
    expect(yamlBox().value).toContain('model: claude-sonnet');

    fireEvent.change(yamlBox(), {
      target: { value: yamlBox().value.replace('claude-sonnet', 'gpt-5') },
    });
    fireEvent.click(screen.getByRole('tab', { name: 'Form' }));
    expect(
      (screen.getByLabelText('spec.model') as HTMLInputElement).value,
    ).toBe('gpt-5');
  });

  it('validates live against the kind schema and blocks apply while invalid', async () => {
    await renderEditor();
    fireEvent.change(
      screen.getByLabelText('spec.runnerPolicy.timeoutSeconds'),
      {
        target: { value: '0' },
      },
    );
    expect(screen.getByLabelText('validation')).toHaveTextContent(
      'spec.runnerPolicy.timeoutSeconds: must be >= 1',
    );
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();

    fireEvent.change(yamlBox(), { target: { value: 'kind: [' } });
    expect(screen.getByText(/^Malformed YAML/)).toBeInTheDocument();
  });

  it('previews with a dry run, then applies through the apply API', async () => {
    const apply = jest.fn(
      async (_docs: AgentsResource[], options?: { dryRun?: boolean }) => ({
        dryRun: Boolean(options?.dryRun),
        items: [
          {
            index: 0,
            kind: 'AgentStack',
            namespace: 'acme',
            name: 'reviewer',
            result: 'created' as const,
            object: { ...draft, metadata: { ...draft.metadata, uid: 'u1' } },
            diff: options?.dryRun ? '+  runtime: scripted' : undefined,
          },
        ],
      }),
    );
    await renderEditor({ apply });

    fireEvent.click(screen.getByRole('button', { name: 'Preview changes' }));
    await waitFor(() =>
      expect(screen.getByLabelText('dry run result')).toHaveTextContent(
        '+ runtime: scripted',
      ),
    );
    expect(apply).toHaveBeenLastCalledWith([draft], { dryRun: true });
    expect(screen.queryByLabelText('apply result')).not.toBeInTheDocument();

    const applyButton = screen.getByRole('button', { name: 'Apply' });
    await waitFor(() => expect(applyButton).toBeEnabled());
    fireEvent.click(applyButton);
    await waitFor(() =>
      expect(apply).toHaveBeenLastCalledWith([draft], { dryRun: false }),
    );
    expect(screen.getByLabelText('apply result')).toHaveTextContent(
      'AgentStack acme/reviewer: created',
    );
  });

  it('says a preview applied nothing, and what apply would do', async () => {
    const apply = jest.fn(async () => ({
      dryRun: true,
      items: [
        {
          index: 0,
          kind: 'AgentStack',
          namespace: 'acme',
          name: 'reviewer',
          result: 'configured' as const,
          diff: [
            '===================================================================',
            '--- reviewer (stored)',
            '+++ reviewer (if applied)',
            '@@ -1,1 +1,1 @@',
            '-  model: haiku',
            '+  model: sonnet',
          ].join('\n'),
        },
      ],
    }));
    await renderEditor({ apply });

    fireEvent.click(screen.getByRole('button', { name: 'Preview changes' }));
    const preview = await screen.findByLabelText('dry run result');
    expect(preview).toHaveTextContent('Dry run — nothing was applied');
    expect(preview).toHaveTextContent(
      'AgentStack acme/reviewer would be configured.',
    );
    expect(preview).toHaveTextContent('+++ reviewer (if applied)');
    expect(preview).not.toHaveTextContent(': configured');
  });

  it('marks a draft that differs from the applied object', async () => {
    await renderEditor(
      {},
      {
        ...draft,
        metadata: { ...draft.metadata, uid: 'u1', resourceVersion: '3' },
      },
    );
    expect(screen.getByText('Applied')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('spec.model'), {
      target: { value: 'm2' },
    });
    expect(screen.getByText('Draft differs from applied')).toBeInTheDocument();
  });

  it('disables apply naming the create or update permission the caller lacks', async () => {
    // Other names than the other tests: permission decisions are cached per resource.
    const locked = {
      ...draft,
      metadata: { name: 'locked', namespace: 'acme' },
    };
    await renderEditor(
      {},
      { ...locked, metadata: { ...locked.metadata, uid: 'u2' } },
      ['agents.stack.update'],
      locked,
    );
    expect(
      await screen.findByText(
        'Apply is disabled: You may not update AgentStack acme/locked (agents.stack.update)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Preview changes' }),
    ).toBeEnabled();
  });

  it('asks for the create permission on a new object', async () => {
    await renderEditor({}, undefined, ['agents.stack.create'], {
      ...draft,
      metadata: { name: 'brand-new', namespace: 'acme' },
    });
    expect(
      await screen.findByText(
        'Apply is disabled: You may not create AgentStack acme/brand-new (agents.stack.create)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
  });

  it("blocks apply on the kind's own checks, with the message at the field", async () => {
    await renderInTestApp(
      <TestApiProvider apis={[mockPermissions(), [agentsApiRef, {}]]}>
        <ResourceEditor
          definition={AgentStackKind}
          initialDraft={{
            ...draft,
            metadata: { name: 'checked', namespace: 'acme' },
          }}
          check={candidate =>
            candidate.spec.model === 'unknown'
              ? [{ path: 'spec.model', message: 'is not served here' }]
              : []
          }
        />
      </TestApiProvider>,
    );
    const apply = screen.getByRole('button', { name: 'Apply' });
    await waitFor(() => expect(apply).toBeEnabled());

    const model = screen.getByLabelText('spec.model');
    fireEvent.change(model, { target: { value: 'unknown' } });
    expect(model).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('is not served here')).toBeInTheDocument();
    expect(apply).toBeDisabled();

    fireEvent.change(model, { target: { value: 'sonnet' } });
    expect(model).toHaveAttribute('aria-invalid', 'false');
    expect(apply).toBeEnabled();
  });

  it('marks a field required only where its object is or must be present, and says so at it', async () => {
    await renderEditor();
    // An optional object that is absent: its required fields are not required yet.
    expect(
      screen.getByText('steps: edit in the YAML view'),
    ).toBeInTheDocument();

    // Clearing the runtime leaves the spec empty, which drops it: the schema names only `spec`.
    const runtime = screen.getByLabelText('spec.runtime');
    fireEvent.change(runtime, { target: { value: '' } });
    expect(runtime).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getAllByText('is required').length).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
  });

  it('scrolls a long diff line inside the result instead of widening the drawer', async () => {
    const long = `+  systemPrompt: ${'x'.repeat(400)}`;
    await renderEditor({
      apply: async () => ({
        dryRun: true,
        items: [
          {
            index: 0,
            kind: 'AgentStack',
            namespace: 'acme',
            name: 'reviewer',
            result: 'configured' as const,
            diff: long,
          },
        ],
      }),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Preview changes' }));
    const preview = await screen.findByLabelText('dry run result');
    const diff = within(preview).getByLabelText(
      'Diff of AgentStack acme/reviewer',
    );
    expect(diff).toHaveStyle({ overflow: 'auto' });
    // The alert's message is a flex item; it must be free to shrink to the drawer.
    expect(diff.parentElement).toHaveStyle({ minWidth: '0' });
  });

  it('renders the kubectl apply command for the draft', () => {
    expect(kubectlApplyCommand(draft)).toBe(
      "kubectl apply -f - <<'EOF'\napiVersion: agents.krate.dev/v1alpha1\nkind: AgentStack\nmetadata:\n  name: reviewer\n  namespace: acme\nspec:\n  runtime: scripted\nEOF\n",
    );
  });
});
