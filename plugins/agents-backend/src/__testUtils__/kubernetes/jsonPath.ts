import { isPlainObject } from './kubeObjects';

type Step =
  | { field: string }
  | { index: number }
  | { wildcard: true }
  | {
      filter:
        | { path: string[]; operator: '==' | '!='; value: string }
        | { path: string[] };
    };

const TOKENS: [RegExp, (match: RegExpMatchArray) => Step][] = [
  [/^\.([A-Za-z0-9_\-/]+)/, m => ({ field: m[1] })],
  [/^\[(\d+)\]/, m => ({ index: Number(m[1]) })],
  [/^(\[\*\]|\.\*)/, () => ({ wildcard: true })],
  [/^\[['"]([^'"]+)['"]\]/, m => ({ field: m[1] })],
  [
    /^\[\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=)\s*(?:"([^"]*)"|'([^']*)'|([^)\s]+))\)\]/,
    m => ({
      filter: {
        path: m[1].slice(1).split('.'),
        operator: m[2] as '==' | '!=',
        value: m[3] ?? m[4] ?? m[5],
      },
    }),
  ],
  [
    /^\[\?\(@((?:\.[A-Za-z0-9_-]+)+)\)\]/,
    m => ({ filter: { path: m[1].slice(1).split('.') } }),
  ],
];

function parse(expression: string): Step[] {
  const steps: Step[] = [];
  let rest = expression
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/^\$/, '');
  while (rest.length > 0) {
    const remaining = rest;
    const token = TOKENS.map(([pattern, toStep]) => {
      const match = remaining.match(pattern);
      return match ? { match, toStep } : undefined;
    }).find(Boolean);
    if (!token) throw new Error(`unsupported JSONPath: ${expression}`);
    steps.push(token.toStep(token.match));
    rest = rest.slice(token.match[0].length);
  }
  return steps;
}

function childrenOf(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  return isPlainObject(node) ? Object.values(node) : [];
}

function readPath(value: unknown, path: string[]): unknown {
  let node = value;
  for (const part of path) node = isPlainObject(node) ? node[part] : undefined;
  return node;
}

/**
 * Evaluates the JSONPath subset printer columns use: `.a.b`, `[0]`, `[*]`, `['a.b']` and
 * filters like `[?(@.type=="Ready")]`. Answers every match.
 */
export function evaluateJsonPath(expression: string, root: unknown): unknown[] {
  let nodes: unknown[] = [root];
  for (const step of parse(expression)) {
    nodes = nodes.flatMap(node => {
      if ('field' in step)
        return isPlainObject(node) && node[step.field] !== undefined
          ? [node[step.field]]
          : [];
      if ('index' in step)
        return Array.isArray(node) && step.index < node.length
          ? [node[step.index]]
          : [];
      const children = childrenOf(node);
      if ('wildcard' in step) return children;
      const filter = step.filter;
      return children.filter(child => {
        const value = readPath(child, filter.path);
        if (!('operator' in filter)) return value !== undefined;
        const equal = value !== undefined && String(value) === filter.value;
        return filter.operator === '==' ? equal : !equal;
      });
    });
  }
  return nodes;
}
