import { storageApiRef } from '@backstage/core-plugin-api';
import {
  MockStorageApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { AgentStackKind } from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { AgentsApi, agentsApiRef, AgentsResource } from '../../api';
import { mockPermissions } from '../../__testUtils__/permissions';
import { ResourceEditor } from './ResourceEditor';

const applied: AgentsResource = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name: 'reviewer', namespace: 'acme' },
  spec: { runtime: 'scripted' },
};

function renderEditor(storage: MockStorageApi, api: Partial<AgentsApi> = {}) {
  return renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(), [agentsApiRef, api], [storageApiRef, storage]]}
    >
      <ResourceEditor
        definition={AgentStackKind}
        initialDraft={applied}
        applied={applied}
      />
    </TestApiProvider>,
  );
}

const model = () => screen.getByLabelText('spec.model') as HTMLInputElement;

// Slow to render when every package's tests run at once.
jest.setTimeout(30_000);

describe('saved drafts', () => {
  it('saves a draft for later, offers it when the object is opened again, and drops it once applied', async () => {
    const storage = MockStorageApi.create();
    const first = await renderEditor(storage);
    expect(screen.getByRole('button', { name: 'Save draft' })).toBeDisabled();
    fireEvent.change(model(), { target: { value: 'claude-sonnet' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() =>
      expect(
        storage.forBucket('agents-drafts').snapshot('AgentStack/acme/reviewer')
          .presence,
      ).toBe('present'),
    );
    first.unmount();

    // Opened again: the applied object shows, and the saved draft is offered.
    const applies: AgentsResource[][] = [];
    await renderEditor(storage, {
      apply: async objects => {
        applies.push(objects);
        return {
          dryRun: false,
          items: [
            {
              index: 0,
              kind: 'AgentStack',
              namespace: 'acme',
              name: 'reviewer',
              result: 'configured',
              object: objects[0],
            },
          ],
        } as any;
      },
    });
    expect(model().value).toBe('');
    expect(screen.getByLabelText('saved draft')).toHaveTextContent(
      'You have a draft of this object saved at',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    expect(model().value).toBe('claude-sonnet');
    expect(screen.queryByLabelText('saved draft')).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(applies).toHaveLength(1));
    expect(applies[0][0].spec.model).toBe('claude-sonnet');
    await waitFor(() =>
      expect(
        storage.forBucket('agents-drafts').snapshot('AgentStack/acme/reviewer')
          .presence,
      ).toBe('absent'),
    );
  });
});
