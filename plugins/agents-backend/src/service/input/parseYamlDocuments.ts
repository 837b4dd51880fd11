import { InputError } from '@backstage/errors';
import {
  documentStructureProblem,
  FieldError,
  MAX_DOCUMENT_DEPTH,
} from '@krate/plugin-agents-common';
import { Document, parseAllDocuments } from 'yaml';
import { scanYaml } from './scanYaml';

/** An alias may be expanded this many times per document; an alias bomb needs thousands. */
const MAX_ALIAS_EXPANSIONS = 100;

/** One document of a YAML text: its value, or what is wrong with it. */
export type ParsedYamlDocument =
  | { value: unknown; errors?: undefined }
  | { value?: undefined; errors: FieldError[] };

function positioned(
  problem: { message: string; linePos?: [{ line: number }, ...unknown[]] },
  what: string,
): FieldError {
  const line = problem.linePos?.[0].line ?? '?';
  return {
    path: '',
    message: `${what} at line ${line}: ${problem.message.split('\n')[0]}`,
  };
}

function aliasProblem(error: unknown): FieldError {
  const message = error instanceof Error ? error.message : String(error);
  if (/excessive alias count/i.test(message)) {
    return {
      path: '',
      message: `aliases expand more than ${MAX_ALIAS_EXPANSIONS} times (an alias bomb)`,
    };
  }
  if (/unresolved alias/i.test(message)) {
    return {
      path: '',
      message: 'an alias refers to an anchor that is not defined before it',
    };
  }
  return { path: '', message: `malformed YAML: ${message.split('\n')[0]}` };
}

function valueOf(doc: Document.Parsed): ParsedYamlDocument {
  const problems = [
    ...doc.errors.map(e => positioned(e, 'malformed YAML')),
    // An unknown tag is only a warning to the parser, which then reads the value as a string;
    // a document that means something else than it says is refused.
    ...doc.warnings.map(w => positioned(w, 'unsupported YAML')),
  ];
  if (problems.length > 0) return { errors: problems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    return { errors: [aliasProblem(error)] };
  }
  const problem = documentStructureProblem(value);
  return problem ? { errors: [problem] } : { value };
}

/**
 * Parses a YAML text of one or many documents the safe way: YAML 1.2 core schema only (no
 * `!!binary`, `!!set` or custom tags, no merge keys), unique keys, a bounded alias expansion, and
 * nesting checked by tokens before parsing and by walking the values after. A problem with the
 * whole text (too deep, too many documents) throws InputError; a problem with one document is
 * that document's `errors`. Empty documents are left out.
 */
export function parseYamlDocuments(
  text: string,
  options: { maxDocuments: number },
): ParsedYamlDocument[] {
  // The scan may count up to twice a document's depth; the values' walk enforces the limit.
  const scan = scanYaml(text, 2 * MAX_DOCUMENT_DEPTH);
  if (scan.tooDeepAtLine !== undefined) {
    throw new InputError(
      `body: YAML nests deeper than ${MAX_DOCUMENT_DEPTH} levels at line ${scan.tooDeepAtLine}`,
    );
  }
  if (scan.separators > options.maxDocuments) {
    throw new InputError(
      `body: at most ${options.maxDocuments} documents per request`,
    );
  }
  const parsed = parseAllDocuments(text, {
    uniqueKeys: true,
    merge: false,
    resolveKnownTags: false,
  });
  const docs = Array.isArray(parsed) ? parsed : [];
  return docs
    .filter(doc => doc.contents !== null || doc.errors.length > 0)
    .map(valueOf);
}
