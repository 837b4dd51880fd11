import { AgentMemoryUpdate } from '@krate/plugin-agents-common';

/** The trailer that makes a merge findable again after a crash, so it is never made twice. */
export function updateTrailer(org: string, name: string): string {
  return `Krate-Memory-Update: ${org}/${name}`;
}

// A proposal's own text must not carry a trailer line that would pass for another proposal's.
const TRAILER_LIKE = /^(\s*)(krate-[a-z-]+:|reviewed-by:)/gim;

function defused(text: string): string {
  return text.replace(TRAILER_LIKE, '$1> $2');
}

/** Title, description, then the trailers: the update, its source run, each approving reviewer. */
export function mergeCommitMessage(
  update: AgentMemoryUpdate,
  approvers: string[],
): string {
  const { title, description, source } = update.spec;
  const trailers = [
    updateTrailer(update.metadata.namespace, update.metadata.name),
    ...(source.run ? [`Krate-Source-Run: ${source.run}`] : []),
    ...approvers.map(approver => `Reviewed-by: ${approver}`),
  ];
  return [
    defused(title.replace(/\s+/g, ' ').trim()),
    ...(description?.trim() ? [defused(description.trim())] : []),
    trailers.join('\n'),
  ]
    .join('\n\n')
    .concat('\n');
}
