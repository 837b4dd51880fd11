import { InputError } from '@backstage/errors';
import { parseYamlDocuments } from '../../service/input/parseYamlDocuments';
import { RecordIssue } from './MemoryRecord';
import { describeValue, isMapping } from './yamlShapes';

export interface YamlMappingOptions {
  file: string;
  /** The field that problems with the whole YAML text are reported at. */
  field: string;
  /** The file line the YAML text starts on, so that reported lines are the file's. */
  firstLine: number;
}

const LINE = /\bat line (\d+)\b/;

function issueAt(file: string, field: string, message: string): RecordIssue {
  const line = LINE.exec(message)?.[1];
  return line
    ? { file, field, message, line: Number(line) }
    : { file, field, message };
}

function parsedDocuments(text: string, firstLine: number) {
  // Blank lines in front make the parser count lines as the file does.
  return parseYamlDocuments('\n'.repeat(firstLine - 1) + text, {
    maxDocuments: 1,
  });
}

function wholeTextProblem(error: InputError): string {
  const message = error.message.replace(/^body: /, '');
  return /documents per request/.test(message)
    ? 'must be one YAML document, not several'
    : message;
}

/**
 * Parses YAML that must be exactly one mapping, with the hostile-input-safe parser: alias bombs,
 * deep nesting, unknown tags and duplicate keys are refused, never expanded.
 */
export function parseYamlMapping(
  text: string,
  { file, field, firstLine }: YamlMappingOptions,
): { mapping?: Record<string, unknown>; errors: RecordIssue[] } {
  let documents;
  try {
    documents = parsedDocuments(text, firstLine);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { errors: [issueAt(file, field, wholeTextProblem(error))] };
  }
  const problems = documents.flatMap(document => document.errors ?? []);
  if (problems.length > 0) {
    return {
      errors: problems.map(problem =>
        issueAt(file, problem.path || field, problem.message),
      ),
    };
  }
  if (documents.length > 1) {
    return {
      errors: [issueAt(file, field, 'must be one YAML document, not several')],
    };
  }
  const value = documents[0]?.value;
  if (!isMapping(value)) {
    const message = `must be a YAML mapping of fields, not ${describeValue(
      value,
    )}`;
    return { errors: [issueAt(file, field, message)] };
  }
  return { mapping: value, errors: [] };
}
