import { MemorySnapshot } from '../MemoryIndex';
import {
  MemoryRecord,
  ONTOLOGY_FILE,
  parseOntology,
  parseRecord,
  RecordIssue,
  validateRecords,
} from '../ontology';

/** A memory file's text after a proposal; null when the proposal deletes it. */
export type ChangedTexts = Map<string, string | null>;

export function isMemoryFile(path: string): boolean {
  return path.endsWith('.md') || path === ONTOLOGY_FILE;
}

/** Every issue of the memory at `base` with the changed files replaced, as the index reports them. */
function issuesAfter(base: MemorySnapshot, texts: ChangedTexts): RecordIssue[] {
  const parsed = new Map(base.parsed);
  let ontologyParse: MemorySnapshot['ontologyParse'] | undefined =
    base.ontologyParse;
  for (const [path, text] of texts) {
    if (path === ONTOLOGY_FILE) {
      ontologyParse = text === null ? undefined : parseOntology(text);
    } else if (text === null) {
      parsed.delete(path);
    } else {
      parsed.set(path, parseRecord(path, text));
    }
  }
  const issues: RecordIssue[] = ontologyParse
    ? [...ontologyParse.errors]
    : [
        {
          file: ONTOLOGY_FILE,
          field: '',
          message: `the memory has no ${ONTOLOGY_FILE}; records cannot be checked`,
        },
      ];
  const records: MemoryRecord[] = [];
  for (const file of parsed.values()) {
    issues.push(...file.errors);
    if (file.record) records.push(file.record);
  }
  if (ontologyParse?.ontology) {
    issues.push(...validateRecords(ontologyParse.ontology, records));
  }
  return issues;
}

const keyOf = (issue: RecordIssue) =>
  `${issue.file}\0${issue.field}\0${issue.message}`;

/**
 * The ontology issues a proposal introduces: those of the memory after it that the memory at its
 * base does not have already (compared without lines, which an edit above them moves).
 */
export function introducedIssues(
  base: MemorySnapshot,
  texts: ChangedTexts,
): RecordIssue[] {
  const before = new Map<string, number>();
  for (const issue of base.issues) {
    before.set(keyOf(issue), (before.get(keyOf(issue)) ?? 0) + 1);
  }
  return issuesAfter(base, texts).filter(issue => {
    const left = before.get(keyOf(issue)) ?? 0;
    if (left > 0) {
      before.set(keyOf(issue), left - 1);
      return false;
    }
    return true;
  });
}
