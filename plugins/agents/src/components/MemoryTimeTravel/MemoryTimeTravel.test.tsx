import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import { MemoryTimeTravel } from './MemoryTimeTravel';

const CurrentQuery = () => (
  <output aria-label="Query">{useLocation().search}</output>
);

async function renderAt(route: string) {
  await renderInTestApp(
    <>
      <MemoryTimeTravel />
      <CurrentQuery />
    </>,
    { routeEntries: [route] },
  );
}

async function choose(mode: string) {
  fireEvent.mouseDown(screen.getByRole('button', { name: /^Point in time/ }));
  fireEvent.click(await screen.findByRole('option', { name: mode }));
}

const query = () =>
  new URLSearchParams(screen.getByLabelText('Query').textContent!);

describe('MemoryTimeTravel', () => {
  it('puts a tag into the URL in place of the ref, keeping the other parameters', async () => {
    await renderAt('/memory?namespace=acme&ref=main');
    expect(
      screen.getByRole('button', { name: /^Point in time/ }),
    ).toHaveTextContent('Ref');
    expect(
      screen.getByRole('textbox', { name: 'Branch, tag or commit' }),
    ).toHaveValue('main');

    await choose('Tag');
    fireEvent.change(screen.getByRole('textbox', { name: 'Tag' }), {
      target: { value: 'v1' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Go' }));

    await waitFor(() => expect(query().get('tag')).toBe('v1'));
    expect(query().get('ref')).toBeNull();
    expect(query().get('namespace')).toBe('acme');
  });

  it('reads a chosen time as UTC and sends it with its zone', async () => {
    await renderAt('/memory?namespace=acme');
    await choose('At a time');
    fireEvent.change(screen.getByLabelText(/^Time \(UTC\)/), {
      target: { value: '2026-11-30T09:00' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Go' }));
    await waitFor(() => expect(query().get('at')).toBe('2026-11-30T09:00:00Z'));
  });

  it('shows a time from the URL in UTC', async () => {
    await renderAt('/memory?at=2026-11-30T11%3A00%3A00%2B02%3A00');
    expect(screen.getByLabelText(/^Time \(UTC\)/)).toHaveValue(
      '2026-11-30T09:00',
    );
  });

  it('goes back to the branch head at once when Current is chosen', async () => {
    await renderAt('/memory?namespace=acme&tag=v1');
    await choose('Current');
    await waitFor(() => expect(query().get('tag')).toBeNull());
    expect(query().get('namespace')).toBe('acme');
    expect(
      screen.queryByRole('button', { name: 'Go' }),
    ).not.toBeInTheDocument();
  });
});
