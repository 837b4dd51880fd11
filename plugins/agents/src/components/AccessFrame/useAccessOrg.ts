import { useApi } from '@backstage/core-plugin-api';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef } from '../../api';

/**
 * The org an access page shows: the org switcher's `?namespace=`, else the first org with a
 * stack, which is then written into the URL so that the switcher and every link show it too.
 * Identities, secrets and permissions are read one org at a time.
 */
export function useAccessOrg() {
  const agentsApi = useApi(agentsApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const chosen = searchParams.get('namespace') || undefined;
  const orgs = useAsync(async () => {
    if (chosen) return [chosen];
    const stacks = await agentsApi.listStacks({ limit: 500 });
    return [...new Set(stacks.items.map(s => s.metadata.namespace))].sort();
  }, [agentsApi, chosen]);
  const first = orgs.value?.[0];
  useEffect(() => {
    if (chosen || !first) return;
    setSearchParams(
      previous => {
        const next = new URLSearchParams(previous);
        next.set('namespace', first);
        return next;
      },
      { replace: true },
    );
  }, [chosen, first, setSearchParams]);
  return { org: chosen ?? first, orgs };
}
