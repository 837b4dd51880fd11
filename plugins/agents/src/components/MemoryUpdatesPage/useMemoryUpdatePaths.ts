import { useRouteRef } from '@backstage/core-plugin-api';
import { rootRouteRef } from '../../routes';

/** Paths of the memory updates pages, wherever the app mounts the plugin. */
export function useMemoryUpdatePaths() {
  const base = useRouteRef(rootRouteRef)().replace(/\/$/, '');
  return {
    /** An org's proposals; `phase` as the page's filter reads it. */
    list: (org?: string, phase?: string) => {
      const search = new URLSearchParams();
      if (org) search.set('namespace', org);
      if (phase) search.set('phase', phase);
      const text = search.toString();
      return `${base}/memory/updates${text ? `?${text}` : ''}`;
    },
    update: (org: string, name: string) =>
      `${base}/memory/updates/${encodeURIComponent(org)}/${encodeURIComponent(
        name,
      )}`,
  };
}
