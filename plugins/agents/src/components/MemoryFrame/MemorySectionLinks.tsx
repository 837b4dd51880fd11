import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useLocation } from 'react-router-dom';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { useMemoryUpdatePaths } from '../MemoryUpdatesPage/useMemoryUpdatePaths';

/**
 * Overview, search and graph of the org's memory, at the chosen point in time, and its proposed
 * updates (which have no point in time).
 */
export const MemorySectionLinks = ({ org }: { org?: string }) => {
  const links = useMemoryLinks(org);
  const updates = useMemoryUpdatePaths();
  const { pathname } = useLocation();
  const sections = [
    { label: 'Overview', to: links.overview() },
    { label: 'Search', to: links.search() },
    { label: 'Graph', to: links.graph() },
    { label: 'Updates', to: updates.list(org) },
  ];
  return (
    <Box
      component="nav"
      aria-label="Memory sections"
      display="flex"
      gridGap={16}
    >
      {sections.map(({ label, to }) => {
        const current = to.split('?')[0] === pathname;
        return (
          <Typography
            key={label}
            variant="button"
            color={current ? 'textPrimary' : undefined}
          >
            {current ? (
              <span aria-current="page">{label}</span>
            ) : (
              <Link to={to}>{label}</Link>
            )}
          </Typography>
        );
      })}
    </Box>
  );
};
