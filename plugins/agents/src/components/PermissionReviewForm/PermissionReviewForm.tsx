import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  PermissionReview,
  PermissionSubject,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { agentsApiRef } from '../../api';
import { serverMessage } from '../../lib/serverMessage';
import { PermissionReviewResult } from './PermissionReviewResult';
import { ReviewInput, reviewProblems, reviewRequest } from './reviewRequest';

const SUBJECT_KINDS: PermissionSubject['kind'][] = [
  'user',
  'team',
  'service-account',
];

export interface PermissionReviewFormProps {
  namespace: string;
  /** The permission names to choose from, e.g. those of the role templates. */
  permissions: string[];
  /** The org's stacks to choose from. */
  stacks: string[];
  /** Who to review, e.g. from an identity's "Review access". */
  initialSubject?: PermissionSubject;
}

/**
 * Asks the backend whether a user, team or service account may take an action or dispatch and
 * run a stack, optionally for one repository, and shows the decision with the chain of
 * memberships, bindings, roles and grants behind it.
 */
export const PermissionReviewForm = ({
  namespace,
  permissions,
  stacks,
  initialSubject,
}: PermissionReviewFormProps) => {
  const agentsApi = useApi(agentsApiRef);
  const [input, setInput] = useState<ReviewInput>({
    subjectKind: initialSubject?.kind ?? 'user',
    subjectName: initialSubject?.name ?? '',
    about: 'action',
    action: '',
    stack: '',
    repository: '',
  });
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [review, setReview] = useState<PermissionReview>();
  const [error, setError] = useState<string>();
  const problems = reviewProblems(input);
  const invalid = Object.keys(problems).length > 0;
  const shown = touched ? problems : {};
  const change = (changes: Partial<ReviewInput>) =>
    setInput(previous => ({ ...previous, ...changes }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid) return;
    setBusy(true);
    setError(undefined);
    try {
      setReview(
        await agentsApi.reviewPermission(reviewRequest(namespace, input)),
      );
    } catch (e) {
      setReview(undefined);
      setError(serverMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Review a permission">
      <form onSubmit={submit} aria-label="Permission review" noValidate>
        <Box
          display="flex"
          flexWrap="wrap"
          gridGap={16}
          alignItems="flex-start"
        >
          <TextField
            select
            label="Subject kind"
            size="small"
            variant="outlined"
            value={input.subjectKind}
            SelectProps={{ native: true }}
            inputProps={{ 'aria-label': 'Subject kind' }}
            onChange={e =>
              change({
                subjectKind: e.target.value as PermissionSubject['kind'],
              })
            }
          >
            {SUBJECT_KINDS.map(kind => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </TextField>
          <TextField
            label="Subject"
            size="small"
            variant="outlined"
            style={{ minWidth: 280 }}
            value={input.subjectName}
            error={Boolean(shown.subjectName)}
            helperText={
              shown.subjectName ??
              (input.subjectKind === 'service-account'
                ? 'An AgentServiceAccount name'
                : `An entity ref such as ${
                    input.subjectKind === 'user'
                      ? 'user:default/alice'
                      : 'group:default/payments'
                  }, or its name`)
            }
            inputProps={{ 'aria-label': 'Subject' }}
            onChange={e => change({ subjectName: e.target.value })}
          />
        </Box>
        <RadioGroup
          row
          aria-label="Review about"
          value={input.about}
          onChange={e =>
            change({ about: e.target.value as ReviewInput['about'] })
          }
        >
          <FormControlLabel
            value="action"
            control={<Radio />}
            label="An action"
          />
          <FormControlLabel value="stack" control={<Radio />} label="A stack" />
        </RadioGroup>
        <Box
          display="flex"
          flexWrap="wrap"
          gridGap={16}
          alignItems="flex-start"
        >
          {input.about === 'action' ? (
            <TextField
              select
              label="Action"
              size="small"
              variant="outlined"
              style={{ minWidth: 280 }}
              value={input.action}
              error={Boolean(shown.action)}
              helperText={shown.action}
              SelectProps={{ native: true }}
              inputProps={{ 'aria-label': 'Action' }}
              onChange={e => change({ action: e.target.value })}
            >
              <option value="">Choose a permission</option>
              {permissions.map(permission => (
                <option key={permission} value={permission}>
                  {permission}
                </option>
              ))}
            </TextField>
          ) : (
            <TextField
              select
              label="Stack"
              size="small"
              variant="outlined"
              style={{ minWidth: 280 }}
              value={input.stack}
              error={Boolean(shown.stack)}
              helperText={shown.stack}
              SelectProps={{ native: true }}
              inputProps={{ 'aria-label': 'Stack' }}
              onChange={e => change({ stack: e.target.value })}
            >
              <option value="">Choose a stack</option>
              {stacks.map(stack => (
                <option key={stack} value={stack}>
                  {stack}
                </option>
              ))}
            </TextField>
          )}
          <TextField
            label="Repository (optional)"
            size="small"
            variant="outlined"
            placeholder={`${namespace}/payments-api`}
            value={input.repository}
            error={Boolean(shown.repository)}
            helperText={
              shown.repository ?? 'For bindings limited to one repository'
            }
            inputProps={{ 'aria-label': 'Repository' }}
            onChange={e => change({ repository: e.target.value })}
          />
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={busy || (touched && invalid)}
          >
            Review
          </Button>
        </Box>
      </form>
      {error && (
        <Box mt={2}>
          <Alert severity="error">The review failed: {error}</Alert>
        </Box>
      )}
      {review && <PermissionReviewResult review={review} />}
    </InfoCard>
  );
};
