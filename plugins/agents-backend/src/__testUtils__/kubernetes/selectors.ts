import { KubeApiError } from './KubeApiError';
import { KubeObject } from './kubeObjects';

export type ObjectPredicate = (object: KubeObject) => boolean;

/** Splits a selector at the commas that are not inside `in (…)` sets. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

function labelRequirement(
  requirement: string,
): (labels: Record<string, string>) => boolean {
  const set = requirement.match(/^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/);
  if (set) {
    const [, key, operator, values] = set;
    const allowed = values.split(',').map(v => v.trim());
    return operator === 'in'
      ? labels => key in labels && allowed.includes(labels[key])
      : labels => !(key in labels) || !allowed.includes(labels[key]);
  }
  const equality = requirement.match(/^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/);
  if (equality) {
    const [, key, operator, value] = equality;
    return operator === '!='
      ? labels => labels[key] !== value
      : labels => labels[key] === value;
  }
  const absent = requirement.match(/^!\s*([^\s!=]+)$/);
  if (absent) return labels => !(absent[1] in labels);
  if (/^[^\s!=(),]+$/.test(requirement)) return labels => requirement in labels;
  throw KubeApiError.badRequest(
    `unable to parse requirement: found '${requirement}', expected: in, notin, =, ==, !=, gt, lt`,
  );
}

/** A `labelSelector` query parameter as a predicate (equality- and set-based). */
export function parseLabelSelector(selector: string | null): ObjectPredicate {
  if (!selector) return () => true;
  const requirements = splitRequirements(selector).map(labelRequirement);
  return object => {
    const labels = object.metadata.labels ?? {};
    return requirements.every(matches => matches(labels));
  };
}

function fieldValue(object: KubeObject, field: string): string | undefined {
  let value: unknown = object;
  for (const part of field.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * A `fieldSelector` query parameter as a predicate. Every type supports `metadata.name` and
 * `metadata.namespace`; `extraFields` adds type-specific ones (e.g. `status.phase` of pods).
 */
export function parseFieldSelector(
  selector: string | null,
  extraFields: string[] = [],
): ObjectPredicate {
  if (!selector) return () => true;
  const supported = ['metadata.name', 'metadata.namespace', ...extraFields];
  const requirements = splitRequirements(selector).map(requirement => {
    const match = requirement.match(/^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/);
    if (!match) {
      throw KubeApiError.badRequest(
        `invalid selector: '${selector}'; can't understand '${requirement}'`,
      );
    }
    const [, field, operator, value] = match;
    if (!supported.includes(field)) {
      throw KubeApiError.badRequest(`field label not supported: ${field}`);
    }
    return (object: KubeObject) => {
      const actual = fieldValue(object, field) ?? '';
      return operator === '!=' ? actual !== value : actual === value;
    };
  });
  return object => requirements.every(matches => matches(object));
}
