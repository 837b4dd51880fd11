import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ToolCheckRequest, ToolCheckResult } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { agentsApiRef } from '../../api';
import { serverMessage } from '../../lib/serverMessage';

type Subject = 'command' | 'path' | 'host';

const FIELD: Record<Subject, { label: string; placeholder: string }> = {
  command: { label: 'Command', placeholder: 'npm test -- --watch=false' },
  path: { label: 'Path', placeholder: 'src/index.ts' },
  host: { label: 'Host', placeholder: 'registry.npmjs.org' },
};

const VERDICT = {
  allow: { severity: 'success', label: 'Allowed' },
  deny: { severity: 'error', label: 'Denied' },
  human: { severity: 'warning', label: 'Waits for approval' },
} as const;

/** The check request for what the form holds. */
function requestOf(
  namespace: string,
  profile: string,
  subject: Subject,
  value: string,
  write: boolean,
): ToolCheckRequest {
  const base = { namespace, profile };
  if (subject === 'command') return { ...base, command: value };
  if (subject === 'host') return { ...base, host: value };
  return { ...base, path: value, write };
}

export interface ToolCheckerProps {
  namespace: string;
  profile: string;
}

/**
 * "Would this be allowed?": asks the backend (`POST /tools/check`) what the profile decides for a
 * command, a path read or write, or a host, and shows the verdict, its reason and the deciding
 * policy.
 */
export const ToolChecker = ({ namespace, profile }: ToolCheckerProps) => {
  const agentsApi = useApi(agentsApiRef);
  const [subject, setSubject] = useState<Subject>('command');
  const [value, setValue] = useState('');
  const [write, setWrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ToolCheckResult>();
  const [error, setError] = useState<string>();

  const check = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(
        await agentsApi.checkTool(
          requestOf(namespace, profile, subject, value.trim(), write),
        ),
      );
    } catch (e) {
      setError(serverMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Would this be allowed?">
      <form onSubmit={check} aria-label="Tool check">
        <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={12}>
          <TextField
            select
            id="tool-check-subject"
            label="Check a"
            size="small"
            variant="outlined"
            value={subject}
            style={{ minWidth: 140 }}
            onChange={e => {
              setSubject(e.target.value as Subject);
              setResult(undefined);
            }}
          >
            <MenuItem value="command">command</MenuItem>
            <MenuItem value="path">path</MenuItem>
            <MenuItem value="host">host</MenuItem>
          </TextField>
          <TextField
            id="tool-check-value"
            label={FIELD[subject].label}
            placeholder={FIELD[subject].placeholder}
            size="small"
            variant="outlined"
            value={value}
            style={{ flexGrow: 1, minWidth: 240 }}
            onChange={e => setValue(e.target.value)}
          />
          {subject === 'path' && (
            <FormControlLabel
              control={
                <Checkbox
                  checked={write}
                  onChange={e => setWrite(e.target.checked)}
                />
              }
              label="Write"
            />
          )}
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={busy || !value.trim()}
          >
            Check
          </Button>
        </Box>
      </form>
      {result && (
        <Box mt={2}>
          <Alert
            severity={VERDICT[result.verdict].severity}
            aria-label="Tool check verdict"
          >
            <strong>{VERDICT[result.verdict].label}</strong>: {result.reason}
            <br />
            Decided by <code>{result.policySource}</code>
          </Alert>
        </Box>
      )}
      {error && (
        <Box mt={2}>
          <Alert severity="error">Could not check: {error}</Alert>
        </Box>
      )}
    </InfoCard>
  );
};
