import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ApplyItem } from '../../api';
import { CodeBlock } from '../CodeBlock';

const WOULD: Record<ApplyItem['result'], string> = {
  created: 'would be created',
  configured: 'would be configured',
  unchanged: 'is unchanged: applying would change nothing',
  invalid: 'is invalid and would not be applied',
};

const useStyles = makeStyles({
  // The message is a flex item: without this a long diff line widens it past the drawer.
  message: { minWidth: 0, flexGrow: 1 },
});

export interface ApplyResultProps {
  kind: string;
  item: ApplyItem;
  /** The answer to a preview: nothing was written. */
  dryRun: boolean;
}

/** What apply did, or for a preview what it would do, with the diff. */
export const ApplyResult = ({ kind, item, dryRun }: ApplyResultProps) => {
  const classes = useStyles();
  const object = `${kind} ${item.namespace}/${item.name}`;
  const diff = item.diff ? (
    <CodeBlock label={`Diff of ${object}`}>{item.diff}</CodeBlock>
  ) : null;
  return dryRun ? (
    <Alert
      severity="info"
      aria-label="dry run result"
      classes={{ message: classes.message }}
    >
      <AlertTitle>Dry run — nothing was applied</AlertTitle>
      {object} {WOULD[item.result]}.{diff}
    </Alert>
  ) : (
    <Alert
      severity="success"
      aria-label="apply result"
      classes={{ message: classes.message }}
    >
      {object}: {item.result}
      {diff}
    </Alert>
  );
};
