import { InputError } from '@backstage/errors';
import { documentStructureProblem } from '@krate/plugin-agents-common';
import { duplicateJsonKey } from './duplicateJsonKey';

function field(path: string): string {
  return path ? `body.${path}` : 'body';
}

/**
 * Parses a JSON body and refuses, with an InputError naming the field, what JSON allows but a
 * resource must not hold: nesting past the depth limit, NUL characters (unless `allowNul`, for
 * payloads whose NULs are dropped later), prototype keys and duplicate keys.
 */
export function parseJsonText(
  text: string,
  options: { allowNul?: boolean } = {},
): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`body: malformed JSON: ${(error as Error).message}`);
  }
  const problem = documentStructureProblem(value, {
    allowNul: options.allowNul,
  });
  if (problem)
    throw new InputError(`${field(problem.path)}: ${problem.message}`);
  const duplicate = duplicateJsonKey(text);
  if (duplicate) {
    throw new InputError(
      `${field(duplicate.path)}: the key '${
        duplicate.key
      }' appears more than once`,
    );
  }
  return value;
}
