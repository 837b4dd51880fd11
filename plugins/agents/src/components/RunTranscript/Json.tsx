import { makeStyles } from '@material-ui/core/styles';

/** The look of code and output blocks in the transcript. */
export const useCodeBlockStyles = makeStyles(theme => ({
  pre: {
    margin: 0,
    padding: theme.spacing(1),
    background: theme.palette.background.default,
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    maxHeight: 400,
    overflow: 'auto',
    width: '100%',
  },
}));

/** A value as indented JSON (strings as they are), in a scrolling block. */
export const Json = ({ value }: { value: unknown }) => {
  const classes = useCodeBlockStyles();
  return (
    <pre className={classes.pre}>
      {typeof value === 'string' ? value : JSON.stringify(value, null, 2)}
    </pre>
  );
};
