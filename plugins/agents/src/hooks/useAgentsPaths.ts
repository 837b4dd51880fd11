import { useRouteRef } from '@backstage/core-plugin-api';
import { rootRouteRef } from '../routes';

/** Kinds, by plural, whose objects have a registry page instead of the read-only view. */
const REGISTRY_PAGES: Record<string, string | undefined> = {
  agenttoolprofiles: 'tools',
  agentmcpservers: 'mcp',
  agentskills: 'skills',
};

/** Absolute paths of the Agents pages, wherever the app mounts the plugin. */
export function useAgentsPaths() {
  const root = useRouteRef(rootRouteRef)();
  const base = root.replace(/\/$/, '');
  const list = (
    page: string,
    filters: Record<string, string | undefined> = {},
  ) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value) search.set(key, value);
    }
    const text = search.toString();
    return `${base}/${page}${text ? `?${text}` : ''}`;
  };
  return {
    overview: base || '/',
    stacks: `${base}/stacks`,
    /** Every budget with its window's spend. */
    budgets: (filters?: Record<string, string | undefined>) =>
      list('budgets', filters),
    /** The stack registry, filtered. */
    stackList: (filters?: Record<string, string | undefined>) =>
      list('stacks', filters),
    stack: (namespace: string, name: string) =>
      `${base}/stacks/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}`,
    /** The stack builder with this stack loaded. */
    editStack: (namespace: string, name: string) =>
      list('stacks', { edit: `${namespace}/${name}` }),
    rules: `${base}/rules`,
    /** The trigger rules, filtered. */
    ruleList: (filters?: Record<string, string | undefined>) =>
      list('rules', filters),
    rule: (namespace: string, name: string) =>
      `${base}/rules/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}`,
    approvals: (filters?: Record<string, string | undefined>) =>
      list('approvals', filters),
    runs: (filters?: Record<string, string | undefined>) =>
      list('runs', filters),
    newRun: (filters?: Record<string, string | undefined>) =>
      list('runs/new', filters),
    run: (name: string, namespace?: string) =>
      list(`runs/${encodeURIComponent(name)}`, { namespace }),
    /**
     * Any object by the plural of its kind, e.g. `agentskills`: its registry page when the kind
     * has one, read-only otherwise.
     */
    resource: (plural: string, namespace: string, name: string) =>
      `${base}/${
        REGISTRY_PAGES[plural] ?? `resources/${encodeURIComponent(plural)}`
      }/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
    /** The tool profile, MCP server and skill registries, filtered, and one object of each. */
    tools: (filters?: Record<string, string | undefined>) =>
      list('tools', filters),
    tool: (namespace: string, name: string) =>
      `${base}/tools/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}`,
    mcpServers: (filters?: Record<string, string | undefined>) =>
      list('mcp', filters),
    mcpServer: (namespace: string, name: string) =>
      `${base}/mcp/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}`,
    skills: (filters?: Record<string, string | undefined>) =>
      list('skills', filters),
    skill: (namespace: string, name: string) =>
      `${base}/skills/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}`,
    /** Who is who, which keys are granted to whom, and who may do what, in one org. */
    identities: (filters?: Record<string, string | undefined>) =>
      list('identities', filters),
    secrets: (filters?: Record<string, string | undefined>) =>
      list('secrets', filters),
    /** `subjectKind` and `subject` prefill the permission review form. */
    permissions: (filters?: Record<string, string | undefined>) =>
      list('permissions', filters),
    /** The org memory's overview, search and graph; filters carry the org and point in time. */
    memory: (filters?: Record<string, string | undefined>) =>
      list('memory', filters),
    memorySearch: (filters?: Record<string, string | undefined>) =>
      list('memory/search', filters),
    memoryGraph: (filters?: Record<string, string | undefined>) =>
      list('memory/graph', filters),
    memoryRecord: (id: string, filters?: Record<string, string | undefined>) =>
      list('memory/records', { ...filters, id }),
    /** Runtime sessions, filtered, and one session by the record that names it. */
    sessions: (filters?: Record<string, string | undefined>) =>
      list('sessions', filters),
    session: (namespace: string, name: string) =>
      `${base}/sessions/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}`,
    workspaces: (filters?: Record<string, string | undefined>) =>
      list('workspaces', filters),
    workspace: (namespace: string, name: string) =>
      `${base}/workspaces/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}`,
  };
}
