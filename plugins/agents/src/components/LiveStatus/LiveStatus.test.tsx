import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { LiveStatus } from './LiveStatus';

describe('LiveStatus', () => {
  it('is quiet while live and warns with the reason when stale', async () => {
    const { rerender } = await renderInTestApp(
      <LiveStatus what="runs" updatedAt={Date.now()} />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(/^Live · updated/);
    rerender(
      <LiveStatus
        what="runs"
        updatedAt={Date.now()}
        error={new Error('connect ECONNREFUSED')}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      /Live updates of runs paused: connect ECONNREFUSED.*stale/,
    );
  });

  it('says whether changes are pushed or polled', async () => {
    const { rerender } = await renderInTestApp(
      <LiveStatus what="runs" mode="signals" />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'Live · updates pushed (signals)',
    );
    rerender(<LiveStatus what="runs" mode="polling" intervalMs={3000} />);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Live · polling every 3s (no signals)',
    );
  });
});
