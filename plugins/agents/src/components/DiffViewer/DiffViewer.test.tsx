import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { DiffViewer } from './DiffViewer';

const PATCH = `diff --git a/src/rounding.js b/src/rounding.js
new file mode 100644
--- /dev/null
+++ b/src/rounding.js
@@ -0,0 +1,1 @@
+exports.toCents = amount => Math.round(amount * 100);
`;

describe('DiffViewer', () => {
  it('shows each file with its added lines numbered', async () => {
    await renderInTestApp(
      <DiffViewer diff={PATCH} title="rounding-fix.patch" />,
    );
    const viewer = screen.getByRole('region', { name: 'rounding-fix.patch' });
    expect(
      within(viewer).getByText('src/rounding.js (new file)'),
    ).toBeInTheDocument();
    const added = viewer.querySelectorAll('tr[data-kind="add"]');
    expect(added).toHaveLength(1);
    expect(added[0]).toHaveTextContent(
      '1+exports.toCents = amount => Math.round(amount * 100);',
    );
  });

  it('shows text that is not a diff as it is', async () => {
    await renderInTestApp(<DiffViewer diff="just a log line" title="log" />);
    expect(screen.getByLabelText('log')).toHaveTextContent('just a log line');
  });

  it('scrolls long lines inside the viewer instead of widening what holds it', async () => {
    await renderInTestApp(
      <>
        <DiffViewer diff={PATCH} title="patch" />
        <DiffViewer diff={`one long line ${'x'.repeat(400)}`} title="log" />
      </>,
    );
    const viewer = screen.getByRole('region', { name: 'patch' });
    expect(viewer).toHaveStyle({ minWidth: '0', maxWidth: '100%' });
    expect(
      within(viewer).getByText('src/rounding.js (new file)').parentElement,
    ).toHaveStyle({ overflowX: 'auto' });
    expect(screen.getByLabelText('log')).toHaveStyle({
      overflowX: 'auto',
      whiteSpace: 'pre',
    });
  });
});
