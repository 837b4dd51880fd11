import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { eventsFixture } from '../../__testUtils__/fixtures';
import { RunArtifacts } from './RunArtifacts';

describe('RunArtifacts', () => {
  it('shows a patch artifact as a diff and a report as text', async () => {
    await renderInTestApp(
      <RunArtifacts
        events={eventsFixture([
          { type: 'text', text: 'not an artifact' },
          {
            type: 'artifact',
            artifactKind: 'patch',
            name: 'rounding-fix.patch',
            byteCount: 175,
            content:
              'diff --git a/src/rounding.js b/src/rounding.js\n--- /dev/null\n+++ b/src/rounding.js\n@@ -0,0 +1,1 @@\n+exports.toCents = amount => Math.round(amount * 100);\n',
          },
          {
            type: 'artifact',
            artifactKind: 'report',
            name: 'summary.md',
            content: 'All good',
          },
        ])}
      />,
    );
    const patch = screen.getByRole('group', {
      name: 'Artifact rounding-fix.patch',
    });
    expect(within(patch).getByText(/175 bytes/)).toBeInTheDocument();
    expect(
      within(patch).getByRole('region', { name: 'rounding-fix.patch' }),
    ).toHaveTextContent(
      '+exports.toCents = amount => Math.round(amount * 100);',
    );
    expect(
      within(
        screen.getByRole('group', { name: 'Artifact summary.md' }),
      ).getByText('All good'),
    ).toBeInTheDocument();
  });

  it('says when there are no artifacts', async () => {
    await renderInTestApp(<RunArtifacts events={[]} />);
    expect(screen.getByText(/No artifacts yet/)).toBeInTheDocument();
  });
});
