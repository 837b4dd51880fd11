import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { attemptFixture } from '../../__testUtils__/fixtures';
import { AttemptsTimeline } from './AttemptsTimeline';

describe('an attempt that runs in a pod', () => {
  it("links the pod to its repository component's Kubernetes tab", async () => {
    await renderInTestApp(
      <AttemptsTimeline
        attempts={[
          attemptFixture('run-1-1', 'run-1', {
            status: {
              phase: 'Running',
              pod: {
                namespace: 'agents',
                name: 'krate-run-1-1',
                pool: 'linux',
                component: 'component:default/payments',
              },
            },
          }),
        ]}
      />,
    );
    expect(
      screen.getByRole('link', { name: 'Pod agents/krate-run-1-1' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments/kubernetes');
    expect(screen.getByText(/runner pool linux/)).toBeInTheDocument();
  });

  it('names the pod without a link when the repository has no catalog component', async () => {
    await renderInTestApp(
      <AttemptsTimeline
        attempts={[
          attemptFixture('run-1-1', 'run-1', {
            status: {
              phase: 'Running',
              pod: {
                namespace: 'agents',
                name: 'krate-run-1-1',
                pool: 'linux',
              },
            },
          }),
        ]}
      />,
    );
    expect(screen.getByText(/Pod agents\/krate-run-1-1/)).toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });
});
