import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef } from '../../api';

/** The runtime ids the backend registers (`GET /capabilities`); undefined until known. */
export function useRegisteredRuntimes(): string[] | undefined {
  const agentsApi = useApi(agentsApiRef);
  const { value } = useAsync(
    async () => (await agentsApi.listCapabilities()).items.map(r => r.id),
    [agentsApi],
  );
  return value;
}
