import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import { FormEvent, useEffect, useState } from 'react';
import { MemorySearchQuery } from '../../api';
import { MemoryKindFilter } from '../MemoryKindFilter';

const EMPTY: MemorySearchQuery = { q: '' };

export interface MemorySearchFormProps {
  /** The search in the URL, which the form starts from. */
  search?: MemorySearchQuery;
  /** The node kinds of the ontology. */
  kinds: string[];
  onSearch: (search: MemorySearchQuery) => void;
}

/** Text or pattern, case and regex switches, a path prefix and record kinds to search. */
export const MemorySearchForm = ({
  search,
  kinds,
  onSearch,
}: MemorySearchFormProps) => {
  const [draft, setDraft] = useState<MemorySearchQuery>(search ?? EMPTY);
  // Back and forward change the search under the form.
  useEffect(() => setDraft(search ?? EMPTY), [search]);
  const change = (patch: Partial<MemorySearchQuery>) =>
    setDraft(previous => ({ ...previous, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.q.trim()) onSearch({ ...draft, path: draft.path?.trim() });
  };

  return (
    <form aria-label="Search the memory" onSubmit={submit}>
      <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={16}>
        <TextField
          id="memory-search-q"
          label={draft.regex ? 'Pattern' : 'Text'}
          variant="outlined"
          size="small"
          required
          style={{ minWidth: 320 }}
          value={draft.q}
          onChange={e => change({ q: e.target.value })}
        />
        <TextField
          id="memory-search-path"
          label="Path prefix"
          variant="outlined"
          size="small"
          placeholder="services/"
          InputLabelProps={{ shrink: true }}
          value={draft.path ?? ''}
          onChange={e => change({ path: e.target.value || undefined })}
        />
        <FormControlLabel
          label="Regex"
          control={
            <Switch
              checked={!!draft.regex}
              onChange={e => change({ regex: e.target.checked })}
            />
          }
        />
        <FormControlLabel
          label="Ignore case"
          control={
            <Switch
              checked={!!draft.ignoreCase}
              onChange={e => change({ ignoreCase: e.target.checked })}
            />
          }
        />
        <Button type="submit" variant="contained" color="primary">
          Search
        </Button>
      </Box>
      <Box mt={1}>
        <MemoryKindFilter
          kinds={kinds}
          selected={draft.kinds ?? []}
          onChange={selected =>
            change({ kinds: selected.length ? selected : undefined })
          }
        />
      </Box>
    </form>
  );
};
