import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ApplyItem } from '../../api';

const WOULD: Record<ApplyItem['result'], string> = {
  created: 'would be created',
  configured: 'would be configured',
  unchanged: 'is unchanged: applying would change nothing',
  invalid: 'is invalid and would not be applied',
};

export interface ApplyResultProps {
  kind: string;
  item: ApplyItem;
  /** The answer to a preview: nothing was written. */
  dryRun: boolean;
}

/** What apply did, or for a preview what it would do, with the diff. */
export const ApplyResult = ({ kind, item, dryRun }: ApplyResultProps) => {
  const object = `${kind} ${item.namespace}/${item.name}`;
  return dryRun ? (
    <Alert severity="info" aria-label="dry run result">
      <AlertTitle>Dry run — nothing was applied</AlertTitle>
      {object} {WOULD[item.result]}.
      {item.diff ? (
        <pre style={{ whiteSpace: 'pre-wrap' }}>{item.diff}</pre>
      ) : null}
    </Alert>
  ) : (
    <Alert severity="success" aria-label="apply result">
      {object}: {item.result}
      {item.diff ? (
        <pre style={{ whiteSpace: 'pre-wrap' }}>{item.diff}</pre>
      ) : null}
    </Alert>
  );
};
