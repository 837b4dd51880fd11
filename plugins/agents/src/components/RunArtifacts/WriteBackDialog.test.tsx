import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { WriteBackRequestBody } from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  artifactFixture,
  refusal,
  TARGETS,
  writeBackFixture,
} from '../../__testUtils__/artifactFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { WriteBackDialog } from './WriteBackDialog';

const ARTIFACT = artifactFixture('run-1-1-rounding-fix');

async function renderDialog(
  requestWriteBack: AgentsApi['requestWriteBack'],
  onRequested = jest.fn(),
) {
  const targetCalls: unknown[][] = [];
  const listWriteBackTargets: AgentsApi['listWriteBackTargets'] = async (
    ...args
  ) => {
    targetCalls.push(args);
    return { items: TARGETS };
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[[agentsApiRef, { listWriteBackTargets, requestWriteBack }]]}
    >
      <WriteBackDialog
        artifact={ARTIFACT}
        run="run-1"
        onClose={jest.fn()}
        onRequested={onRequested}
      />
    </TestApiProvider>,
  );
  const dialog = await screen.findByRole('dialog');
  await within(dialog).findByRole('radiogroup', { name: 'Target' });
  return { dialog, targetCalls };
}

const field = (dialog: HTMLElement, name: RegExp) =>
  within(dialog).getByRole('textbox', { name });

const submitButton = (dialog: HTMLElement) =>
  within(dialog).getByRole('button', { name: 'Request write-back' });

describe('WriteBackDialog', () => {
  it('offers the targets the server lists, an unavailable one disabled with its reason', async () => {
    const { dialog, targetCalls } = await renderDialog(jest.fn());
    expect(targetCalls).toEqual([['acme', 'run-1-1-rounding-fix']]);

    const gitea = within(dialog).getByRole('radio', { name: /Gitea/ });
    expect(gitea).toBeDisabled();
    expect(
      within(dialog).getByText(
        'No integrations.gitea entry for gitea.example.com: configure one to open pull requests',
      ),
    ).toBeInTheDocument();
    // The first available target that opens pull requests, and a pull request.
    expect(within(dialog).getByRole('radio', { name: 'GitHub' })).toBeChecked();
    expect(
      within(dialog).getByRole('radio', { name: 'Open a pull request' }),
    ).toBeChecked();

    // Only the chosen target's operations are offered.
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Git remote' }));
    const operations = within(dialog).getByRole('radiogroup', {
      name: 'Operation',
    });
    expect(
      within(operations)
        .getAllByRole('radio')
        .map(r => r.closest('label')?.textContent),
    ).toEqual(['Push a branch']);
    expect(
      within(dialog).getByRole('radio', { name: 'Push a branch' }),
    ).toBeChecked();
  });

  it('sends the exact body of a pull request', async () => {
    const requestWriteBack = jest.fn(async () => ({
      writeBack: writeBackFixture(),
      approval: 'run-1-ap-wb1',
    }));
    const onRequested = jest.fn();
    const { dialog } = await renderDialog(requestWriteBack, onRequested);

    expect(field(dialog, /^Branch/)).toHaveValue('agents/run-1');
    expect(field(dialog, /^Title/)).toHaveValue('rounding-fix.patch');
    fireEvent.change(field(dialog, /^Base branch/), {
      target: { value: 'main' },
    });
    fireEvent.change(field(dialog, /^Title/), {
      target: { value: 'Round to cents' },
    });
    fireEvent.change(field(dialog, /^Body/), {
      target: { value: 'Fixes #12' },
    });
    expect(
      within(dialog).getByText('9 / 65536 characters'),
    ).toBeInTheDocument();

    fireEvent.click(submitButton(dialog));
    await waitFor(() => expect(onRequested).toHaveBeenCalled());
    const expected: WriteBackRequestBody = {
      target: 'github',
      operation: 'pull-request',
      branch: 'agents/run-1',
      base: 'main',
      title: 'Round to cents',
      body: 'Fixes #12',
    };
    expect(requestWriteBack.mock.calls).toEqual([
      ['acme', 'run-1-1-rounding-fix', expected],
    ]);
    expect(onRequested).toHaveBeenCalledWith({
      writeBack: writeBackFixture(),
      approval: 'run-1-ap-wb1',
    });
  });

  it.each([
    ['agents/..x', "The branch must not contain '..'"],
    ['-agents', "The branch must not start with '-'"],
  ])(
    'refuses the branch %s before sending anything',
    async (branch, problem) => {
      const requestWriteBack = jest.fn();
      const { dialog } = await renderDialog(requestWriteBack);
      fireEvent.change(field(dialog, /^Branch/), { target: { value: branch } });

      expect(within(dialog).getByText(problem)).toBeInTheDocument();
      expect(field(dialog, /^Branch/)).toHaveAttribute('aria-invalid', 'true');
      expect(submitButton(dialog)).toBeDisabled();
      fireEvent.click(submitButton(dialog));
      expect(requestWriteBack).not.toHaveBeenCalled();

      fireEvent.change(field(dialog, /^Branch/), {
        target: { value: 'agents/run-1-fix' },
      });
      expect(within(dialog).queryByText(problem)).not.toBeInTheDocument();
      expect(submitButton(dialog)).toBeEnabled();
    },
  );

  it('asks for the pull request number of a comment', async () => {
    const requestWriteBack = jest.fn(async () => ({
      writeBack: writeBackFixture(),
    }));
    const { dialog } = await renderDialog(requestWriteBack);
    fireEvent.click(
      within(dialog).getByRole('radio', { name: 'Comment on a pull request' }),
    );
    expect(
      within(dialog).queryByRole('textbox', { name: /^Branch/ }),
    ).not.toBeInTheDocument();
    expect(submitButton(dialog)).toBeDisabled();
    fireEvent.change(field(dialog, /^Pull request number/), {
      target: { value: '12' },
    });
    fireEvent.change(field(dialog, /^Body/), {
      target: { value: 'Looks good' },
    });
    fireEvent.click(submitButton(dialog));
    await waitFor(() =>
      expect(requestWriteBack).toHaveBeenCalledWith(
        'acme',
        'run-1-1-rounding-fix',
        {
          target: 'github',
          operation: 'comment',
          number: 12,
          body: 'Looks good',
        },
      ),
    );
  });

  it('shows the server’s refusal in the dialog', async () => {
    const error = await refusal(
      409,
      'AgentReviewArtifact acme/run-1-1-rounding-fix was superseded by run-1-1-rounding-fix-2',
    );
    const onRequested = jest.fn();
    const { dialog } = await renderDialog(async () => {
      throw error;
    }, onRequested);
    fireEvent.click(submitButton(dialog));
    expect(
      await within(dialog).findByText(
        'Refused (409): AgentReviewArtifact acme/run-1-1-rounding-fix was superseded by run-1-1-rounding-fix-2',
      ),
    ).toBeInTheDocument();
    expect(onRequested).not.toHaveBeenCalled();
    expect(submitButton(dialog)).toBeEnabled();
  });
});
