import { Link } from '@backstage/core-components';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';

type Surface = NonNullable<
  NonNullable<AgentWorkspace['status']>['runtimeSurfaces']
>[number];

const HEALTH_COLOR: Record<string, 'primary' | 'secondary' | 'default'> = {
  ready: 'primary',
  unavailable: 'secondary',
};

/** Previews, dev servers, terminals and other surfaces the workspace runs: links and health. */
export const RuntimeSurfaces = ({ surfaces }: { surfaces: Surface[] }) => {
  if (surfaces.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No runtime surfaces: no preview, dev server or terminal is reported for
        this workspace.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Runtime surfaces">
      <TableHead>
        <TableRow>
          <TableCell>Kind</TableCell>
          <TableCell>Name</TableCell>
          <TableCell>Where</TableCell>
          <TableCell>Health</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {surfaces.map((surface, index) => {
          const health = surface.health ?? 'unknown';
          return (
            <TableRow key={`${surface.kind}/${surface.name ?? index}`}>
              <TableCell>{surface.kind}</TableCell>
              <TableCell>{surface.name ?? '—'}</TableCell>
              <TableCell>
                {surface.url ? (
                  <Link to={surface.url}>{surface.url}</Link>
                ) : null}
                {surface.port ? ` port ${surface.port}` : null}
                {!surface.url && !surface.port ? '—' : null}
              </TableCell>
              <TableCell>
                <Chip
                  size="small"
                  label={health}
                  aria-label={`Health ${health}`}
                  color={HEALTH_COLOR[health] ?? 'default'}
                />
                {surface.message && (
                  <Typography variant="caption" display="block">
                    {surface.message}
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
};
