/** What `{{…}}` placeholders of a rule's templates may read. */
export interface TemplateValues {
  event: Record<string, unknown>;
  repository?: string;
  rule: string;
  source: string;
  namespace: string;
}

export interface RenderedTemplate {
  text: string;
  /** Placeholders with no value in the event; they render empty. */
  missing: string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** The value at a dotted path (`issue.labels.0.name`); undefined when any step is missing. */
export function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const step of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** NUL characters are dropped: PostgreSQL text cannot hold them, and no prompt needs them. */
function asText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.split('\u0000').join('');
}

/**
 * Renders `{{event.issue.title}}`, `{{repository}}`, `{{rule}}`, `{{source}}` and
 * `{{namespace}}`; objects and arrays render as JSON. Nothing else is interpreted, so a payload
 * cannot inject template syntax of its own.
 */
export function renderTemplate(
  template: string,
  values: TemplateValues,
): RenderedTemplate {
  const missing = new Set<string>();
  const text = template.replace(PLACEHOLDER, (_match, path: string) => {
    const value = valueAt(values, path);
    if (value === undefined || value === null) {
      missing.add(path);
      return '';
    }
    return asText(value);
  });
  return { text, missing: [...missing] };
}
