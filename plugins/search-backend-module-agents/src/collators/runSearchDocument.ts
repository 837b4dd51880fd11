import { IndexableDocument } from '@backstage/plugin-search-common';
import {
  AGENTS_PAGES_PATH,
  AgentsObject,
  agentsObjectPath,
} from '@krate/plugin-agents-common';
import { withoutUndefined } from './withoutUndefined';

/** A dispatch run, as search indexes it. @public */
export interface AgentsRunSearchDocument extends IndexableDocument {
  kind: 'AgentDispatchRun';
  namespace: string;
  name: string;
  repository?: string;
  stack: string;
  phase?: string;
  requestedBy?: string;
  createdAt?: string;
}

const TITLE_LENGTH = 120;
/** Prompts may be 64 KiB; the index keeps their opening, which is what people search for. */
const TEXT_LENGTH = 4000;

/** The first line of the prompt that says something, cut to a title's length. */
export function titleOfPrompt(prompt: string, fallback: string): string {
  const line = prompt
    .split('\n')
    .map(l => l.trim())
    .find(Boolean);
  if (!line) return fallback;
  return line.length > TITLE_LENGTH
    ? `${line.slice(0, TITLE_LENGTH - 1)}…`
    : line;
}

export function runSearchDocument(run: AgentsObject): AgentsRunSearchDocument {
  const { namespace, name, creationTimestamp } = run.metadata;
  const spec = run.spec as {
    prompt?: string;
    stack: string;
    repository?: string;
    requestedBy?: string;
  };
  const phase = (run.status as { phase?: string } | undefined)?.phase;
  const prompt = spec.prompt ?? '';
  return withoutUndefined({
    title: titleOfPrompt(prompt, name),
    text: [
      prompt.replace(/\s+/g, ' ').trim().slice(0, TEXT_LENGTH),
      spec.repository && `repository ${spec.repository}`,
      `stack ${spec.stack}`,
      phase && `phase ${phase}`,
      spec.requestedBy && `requested by ${spec.requestedBy}`,
    ]
      .filter(Boolean)
      .join(' · '),
    location: `${AGENTS_PAGES_PATH}/${agentsObjectPath(
      'AgentDispatchRun',
      namespace,
      name,
    )}`,
    kind: 'AgentDispatchRun',
    namespace,
    name,
    repository: spec.repository,
    stack: spec.stack,
    phase,
    requestedBy: spec.requestedBy,
    createdAt: creationTimestamp,
    authorization: { resourceRef: `AgentDispatchRun:${namespace}/${name}` },
  });
}
