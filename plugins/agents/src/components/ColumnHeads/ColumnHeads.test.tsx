import { renderInTestApp } from '@backstage/test-utils';
import Table from '@material-ui/core/Table';
import { screen } from '@testing-library/react';
import { ColumnHeads } from './ColumnHeads';

describe('ColumnHeads', () => {
  it('keeps each column name on one line, so a narrow column never splits a word', async () => {
    await renderInTestApp(
      <Table>
        <ColumnHeads columns={['Repository', 'Last activity']} />
      </Table>,
    );
    for (const name of ['Repository', 'Last activity']) {
      expect(screen.getByRole('columnheader', { name })).toHaveStyle({
        whiteSpace: 'nowrap',
      });
    }
  });
});
