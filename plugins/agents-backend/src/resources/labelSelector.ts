import { InputError } from '@backstage/errors';
import { LabelRequirement } from './ResourceStore';

const KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas that are not inside a parenthesised value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(Boolean);
}

function checked(key: string, values: string[], term: string) {
  if (!KEY.test(key) || values.some(v => !VALUE.test(v))) {
    throw new InputError(`labelSelector: invalid requirement '${term}'`);
  }
}

/**
 * Parses a Kubernetes label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`,
 * `!a`, joined by commas.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTerms(selector).map(term => {
    let match = term.match(/^(\S+?)\s*(==|=|!=)\s*(\S*)$/);
    if (match) {
      const [, key, op, value] = match;
      checked(key, [value], term);
      return { key, operator: op === '!=' ? 'notin' : 'in', values: [value] };
    }
    match = term.match(/^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/);
    if (match) {
      const [, key, op, list] = match;
      const values = list.split(',').map(v => v.trim());
      checked(key, values, term);
      return { key, operator: op as 'in' | 'notin', values };
    }
    match = term.match(/^(!?)(\S+)$/);
    if (match) {
      const [, not, key] = match;
      checked(key, [], term);
      return { key, operator: not ? 'doesnotexist' : 'exists', values: [] };
    }
    throw new InputError(`labelSelector: cannot parse '${term}'`);
  });
}

export function matchesLabels(
  labels: Record<string, string> | undefined,
  requirements: LabelRequirement[],
): boolean {
  return requirements.every(({ key, operator, values }) => {
    const value = labels?.[key];
    switch (operator) {
      case 'exists':
        return value !== undefined;
      case 'doesnotexist':
        return value === undefined;
      case 'in':
        return value !== undefined && values.includes(value);
      case 'notin':
        return value === undefined || !values.includes(value);
      default:
        return false;
    }
  });
}
