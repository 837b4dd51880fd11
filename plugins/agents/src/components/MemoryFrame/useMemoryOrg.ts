import { useApi } from '@backstage/core-plugin-api';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef } from '../../api';

/**
 * The org whose memory the page shows: the org switcher's `?namespace=`, else `?org=` (the
 * links search results carry), else the first org with memory, which is then written into the
 * URL so that the switcher and every link show it too.
 */
export function useMemoryOrg() {
  const agentsApi = useApi(agentsApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const chosen =
    searchParams.get('namespace') || searchParams.get('org') || undefined;
  const orgs = useAsync(
    async () => (await agentsApi.listMemoryOrgs()).items.map(item => item.org),
    [agentsApi],
  );
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
