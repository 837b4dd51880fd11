import { MemorySnapshot } from '../MemoryIndex';
import { MemoryRecord, parseRecord } from '../ontology';
import { canSee, MemoryReader } from '../visibility';
import { ChangedTexts } from './proposalValidation';

/**
 * The visibilities other than `org` of the records a proposal touches, before and after it, as a
 * JSON list. Kept on the proposal when it is made, so lists need not read its patch again.
 */
export const MEMORY_VISIBILITY_ANNOTATION =
  'agents.krate.dev/memory-visibility';

// A front matter that does not parse still says who it is for.
const VISIBILITY_LINE = /^visibility:\s*['"]?([^'"\s#]+)/m;

function visibilityOfText(path: string, text: string): string | undefined {
  const { record } = parseRecord(path, text);
  if (record) return record.visibility;
  return VISIBILITY_LINE.exec(text)?.[1];
}

/** The restricted visibilities of the records a proposal changes, at its base and after it. */
export function touchedVisibilities(
  base: MemorySnapshot,
  texts: ChangedTexts,
): string[] {
  const found = new Set<string>();
  for (const [path, text] of texts) {
    if (!path.endsWith('.md')) continue;
    const before = base.parsed.get(path)?.record?.visibility;
    const after = text === null ? undefined : visibilityOfText(path, text);
    for (const visibility of [before, after]) {
      if (visibility && visibility !== 'org') found.add(visibility);
    }
  }
  return [...found].sort();
}

/** Whether the reader may see every record the proposal touches, and so the proposal. */
export function maySeeProposal(
  update: { metadata: { annotations?: Record<string, string> } },
  reader: MemoryReader,
): boolean {
  const text = update.metadata.annotations?.[MEMORY_VISIBILITY_ANNOTATION];
  if (!text) return true;
  let visibilities: unknown;
  try {
    visibilities = JSON.parse(text);
  } catch {
    return false;
  }
  return (
    Array.isArray(visibilities) &&
    visibilities.every(
      visibility =>
        typeof visibility === 'string' &&
        canSee({ visibility } as MemoryRecord, reader),
    )
  );
}
