import { findKind } from './kinds/registry';

/** Where the app mounts the Agents pages by default (the README's install section). @public */
export const AGENTS_PAGES_PATH = '/agents';

/** Kinds whose objects have a page of their own, by the page's path segment. */
const OWN_PAGES: Record<string, string | undefined> = {
  AgentStack: 'stacks',
  AgentTriggerRule: 'rules',
  AgentToolProfile: 'tools',
  AgentMcpServer: 'mcp',
  AgentSkill: 'skills',
  AgentWorkspace: 'workspaces',
};

/**
 * The path of an object's page below the Agents pages' mount point: its own page where its kind
 * has one (a stack, a rule, a registry entry, a workspace, a run), the object page otherwise.
 * The frontend links and the search documents both use it, so a search result opens a page that
 * exists.
 * @public
 */
export function agentsObjectPath(
  kind: string,
  namespace: string,
  name: string,
): string {
  const ns = encodeURIComponent(namespace);
  const n = encodeURIComponent(name);
  if (kind === 'AgentDispatchRun') {
    return `runs/${n}?namespace=${ns}`;
  }
  const page = OWN_PAGES[kind];
  if (page) {
    return `${page}/${ns}/${n}`;
  }
  const plural = findKind(kind)?.plural ?? kind.toLowerCase();
  return `resources/${encodeURIComponent(plural)}/${ns}/${n}`;
}
