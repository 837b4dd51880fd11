import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

/** One labelled line of a detail page's summary (run, stack, workspace). */
export const DetailRow = ({
  label,
  children,
}: {
  label: string;
  children: ReactNode;
}) => (
  <Box display="flex" gridGap={16} py={0.5}>
    <Typography
      variant="body2"
      color="textSecondary"
      style={{ width: 160, flexShrink: 0 }}
    >
      {label}
    </Typography>
    <Typography
      variant="body2"
      component="div"
      style={{ wordBreak: 'break-word' }}
    >
      {children}
    </Typography>
  </Box>
);
