import { firstHeading } from './firstHeading';
import { linkedRecordIds } from './linkedRecordIds';
import { MemoryRecord, RecordParse } from './MemoryRecord';
import { DOCUMENT_KIND } from './Ontology';
import { parseYamlMapping } from './parseYamlMapping';
import {
  FrontMatterFields,
  readFrontMatterFields,
} from './readFrontMatterFields';
import { normalizeRecordPath, recordIdOf } from './recordPaths';
import {
  FRONT_MATTER_FIRST_LINE,
  FrontMatterSplit,
  splitFrontMatter,
} from './splitFrontMatter';

const FRONT_MATTER = 'front matter';

function recordOf(
  path: string,
  values: FrontMatterFields & { kind: string },
  { body, bodyLineOffset }: FrontMatterSplit,
): MemoryRecord {
  const id = values.id ?? recordIdOf(path);
  return {
    ...values,
    path,
    id,
    title: values.title ?? firstHeading(body) ?? id,
    links: linkedRecordIds(path, body),
    body,
    bodyLineOffset,
  };
}

/**
 * Reads one Markdown file of a memory repository. A file without front matter is a record of
 * kind `document`. Every problem names the file and the field; syntax errors are at the field
 * `front matter` with their line. A record whose front matter parses and names its kind is
 * returned even with problems, without the fields that have them, so that checks across
 * records still see it.
 */
export function parseRecord(path: string, text: string): RecordParse {
  const file = normalizeRecordPath(path);
  const split = splitFrontMatter(text);
  if (!split) {
    const message = 'opens with --- on line 1 but no later --- line closes it';
    return { errors: [{ file, field: FRONT_MATTER, message, line: 1 }] };
  }
  if (split.frontMatter === undefined) {
    const { values } = readFrontMatterFields({ kind: DOCUMENT_KIND });
    return {
      record: recordOf(file, { ...values, kind: DOCUMENT_KIND }, split),
      errors: [],
    };
  }
  const { mapping, errors } = parseYamlMapping(split.frontMatter, {
    file,
    field: FRONT_MATTER,
    firstLine: FRONT_MATTER_FIRST_LINE,
  });
  if (!mapping) return { errors };
  const { values, problems } = readFrontMatterFields(mapping);
  const issues = problems.map(problem => ({ file, ...problem }));
  const { kind } = values;
  if (kind === undefined) return { errors: issues };
  return { record: recordOf(file, { ...values, kind }, split), errors: issues };
}
