import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useMemo } from 'react';
import { DiffLine, parseUnifiedDiff } from './parseUnifiedDiff';

const useStyles = makeStyles(theme => ({
  // Long lines scroll inside the viewer instead of widening whatever holds it.
  root: { minWidth: 0, maxWidth: '100%' },
  file: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    marginBottom: theme.spacing(2),
    overflowX: 'auto',
  },
  fileName: {
    padding: theme.spacing(1),
    background: theme.palette.background.default,
    borderBottom: `1px solid ${theme.palette.divider}`,
    fontFamily: 'monospace',
  },
  table: {
    borderCollapse: 'collapse',
    width: '100%',
    fontFamily: 'monospace',
    fontSize: '0.8rem',
  },
  hunk: {
    color: theme.palette.text.secondary,
    background: theme.palette.action.hover,
  },
  number: {
    color: theme.palette.text.secondary,
    textAlign: 'right',
    padding: '0 8px',
    userSelect: 'none',
    width: '1%',
    whiteSpace: 'nowrap',
  },
  code: { whiteSpace: 'pre', padding: '0 8px' },
  text: { whiteSpace: 'pre', overflowX: 'auto', margin: 0, padding: 8 },
  add: { background: 'rgba(46, 160, 67, 0.15)' },
  remove: { background: 'rgba(248, 81, 73, 0.15)' },
  note: { color: theme.palette.text.secondary, fontStyle: 'italic' },
  context: {},
}));

const SIGN: Record<DiffLine['kind'], string> = {
  add: '+',
  remove: '-',
  context: ' ',
  note: '',
};

export interface DiffViewerProps {
  /** Unified diff text, as `git diff` prints it. */
  diff: string;
  /** Accessible name of the viewer. */
  title?: string;
}

/** A unified diff, file by file, with line numbers and added/removed lines marked. */
export const DiffViewer = ({ diff, title = 'Diff' }: DiffViewerProps) => {
  const classes = useStyles();
  const files = useMemo(() => parseUnifiedDiff(diff), [diff]);
  if (files.length === 0 || files.every(f => f.hunks.length === 0)) {
    return (
      <Box
        component="pre"
        aria-label={title}
        className={`${classes.root} ${classes.text}`}
      >
        {diff || 'Empty diff'}
      </Box>
    );
  }
  return (
    <Box role="region" aria-label={title} className={classes.root}>
      {files.map((file, index) => (
        <div key={index} className={classes.file}>
          <Typography variant="body2" className={classes.fileName}>
            {file.oldPath && file.newPath && file.oldPath !== file.newPath
              ? `${file.oldPath} → ${file.newPath}`
              : file.newPath ?? file.oldPath ?? 'patch'}
            {!file.oldPath && file.newPath ? ' (new file)' : ''}
            {file.oldPath && !file.newPath ? ' (deleted)' : ''}
          </Typography>
          <table className={classes.table}>
            <tbody>
              {file.hunks.map((hunk, h) => [
                <tr key={`h${h}`} className={classes.hunk}>
                  <td className={classes.number} />
                  <td className={classes.number} />
                  <td className={classes.code}>{hunk.header}</td>
                </tr>,
                ...hunk.lines.map((line, l) => (
                  <tr
                    key={`h${h}l${l}`}
                    className={classes[line.kind]}
                    data-kind={line.kind}
                  >
                    <td className={classes.number}>{line.oldLine ?? ''}</td>
                    <td className={classes.number}>{line.newLine ?? ''}</td>
                    <td className={classes.code}>
                      {SIGN[line.kind]}
                      {line.text}
                    </td>
                  </tr>
                )),
              ])}
            </tbody>
          </table>
        </div>
      ))}
    </Box>
  );
};
