import { useApi } from '@backstage/core-plugin-api';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef } from '../../api';

/** The org the Agents pages are filtered to (`?namespace=`), or undefined for all orgs. */
export function useSelectedOrg(): string | undefined {
  const [searchParams] = useSearchParams();
  return searchParams.get('namespace') || undefined;
}

export interface OrgSwitcherProps {
  /** Orgs of the objects the page shows, offered beside those of the stacks. */
  seen?: string[];
  /** Query parameters that only make sense within one org, dropped on a switch. */
  resets?: string[];
}

/**
 * Picks the org the Agents pages show, kept in the URL as `?namespace=`. The orgs are the
 * namespaces of the stacks the caller can see and of what the page already lists.
 */
export const OrgSwitcher = ({ seen = [], resets = [] }: OrgSwitcherProps) => {
  const agentsApi = useApi(agentsApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const selected = searchParams.get('namespace') ?? '';
  const stacks = useAsync(
    async () => agentsApi.listStacks({ limit: 500 }),
    [agentsApi],
  );
  const orgs = [
    ...new Set([
      ...(stacks.value?.items ?? []).map(s => s.metadata.namespace),
      ...seen,
      ...(selected ? [selected] : []),
    ]),
  ].sort();

  const choose = (org: string) => {
    const next = new URLSearchParams(searchParams);
    if (org) next.set('namespace', org);
    else next.delete('namespace');
    for (const param of resets) next.delete(param);
    setSearchParams(next);
  };

  return (
    <TextField
      select
      id="agents-org"
      label="Org"
      size="small"
      variant="outlined"
      value={selected}
      style={{ minWidth: 180 }}
      SelectProps={{ displayEmpty: true }}
      InputLabelProps={{ shrink: true }}
      onChange={e => choose(e.target.value)}
    >
      <MenuItem value="">All orgs</MenuItem>
      {orgs.map(org => (
        <MenuItem key={org} value={org}>
          {org}
        </MenuItem>
      ))}
    </TextField>
  );
};
