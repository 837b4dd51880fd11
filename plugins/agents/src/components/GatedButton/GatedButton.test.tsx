import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { GatedButton } from './GatedButton';

describe('GatedButton', () => {
  it('is disabled by a reason and shows it on hover', async () => {
    await renderInTestApp(
      <GatedButton reason="You may not pin (agents.workspace.action)">
        Pin
      </GatedButton>,
    );
    const button = screen.getByRole('button', { name: 'Pin' });
    expect(button).toBeDisabled();
    fireEvent.mouseOver(button.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You may not pin (agents.workspace.action)',
    );
  });

  it('is enabled without a reason and describes the action on hover', async () => {
    const onClick = jest.fn();
    await renderInTestApp(
      <GatedButton hint="Ends the current attempt" onClick={onClick}>
        Cancel
      </GatedButton>,
    );
    const button = screen.getByRole('button', { name: 'Cancel' });
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalled();
    fireEvent.mouseOver(button.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Ends the current attempt',
    );
  });
});
