import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { artifactFixture } from '../../__testUtils__/artifactFixtures';
import { runFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { RunReviewState } from './RunReviewState';

const listArtifacts: AgentsApi['listArtifacts'] = async () => ({
  items: [
    artifactFixture('run-1-1-rounding-fix', {
      status: {
        state: 'changes-requested',
        results: [
          {
            target: 'github',
            operation: 'branch',
            ref: '0123456789abcdef',
            remote: 'https://github.com/acme/payments-api.git',
          },
          {
            target: 'github',
            operation: 'pull-request',
            ref: '42',
            url: 'https://github.com/acme/payments-api/pull/42',
          },
        ],
      },
    }),
  ],
});

function renderState(run = runFixture('run-1')) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { listArtifacts }]]}>
      <RunReviewState run={run} />
    </TestApiProvider>,
  );
}

describe('RunReviewState', () => {
  it('says a review requested changes, links the pull request and gives the server’s message', async () => {
    await renderState(
      runFixture('run-1', {
        status: {
          phase: 'Succeeded',
          reason: 'Completed',
          review: {
            state: 'ReviewChangesRequested',
            artifact: 'run-1-1-rounding-fix',
            pullRequest: 42,
            message:
              'octocat requested changes in review 9001 on acme/payments-api#42',
            time: '2026-12-06T10:00:00Z',
          },
        },
      }),
    );
    const banner = screen.getByLabelText('ReviewChangesRequested');
    expect(banner).toHaveTextContent('Changes requested on pull request');
    expect(banner).toHaveTextContent(
      'octocat requested changes in review 9001 on acme/payments-api#42',
    );
    expect(
      await within(banner).findByRole('link', { name: /^#42/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/payments-api/pull/42');
  });

  it('says nothing otherwise', async () => {
    await renderState();
    expect(
      screen.queryByLabelText('ReviewChangesRequested'),
    ).not.toBeInTheDocument();
  });
});
