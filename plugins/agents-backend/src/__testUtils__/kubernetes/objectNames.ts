import { randomBytes } from 'node:crypto';
import { StatusCause } from './KubeApiError';

const SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const GENERATED_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** How the API server checks names of a resource. */
export type NameRule = 'subdomain' | 'label' | 'path-segment';

/** The name rule of a resource: namespaces are DNS labels, RBAC objects path segments. */
export function nameRuleOf(group: string, resource: string): NameRule {
  if (group === '' && resource === 'namespaces') return 'label';
  if (group === 'rbac.authorization.k8s.io') return 'path-segment';
  return 'subdomain';
}

export function validateName(name: string, rule: NameRule): StatusCause[] {
  const invalid = (message: string) => [
    {
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(name)}: ${message}`,
      field: 'metadata.name',
    },
  ];
  if (rule === 'path-segment') {
    if (name === '.' || name === '..' || /[/%]/.test(name)) {
      return invalid(`may not contain '/' or '%' and may not be '.' or '..'`);
    }
    return [];
  }
  if (rule === 'label' && (name.length > 63 || !LABEL.test(name))) {
    return invalid(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  if (rule === 'subdomain' && (name.length > 253 || !SUBDOMAIN.test(name))) {
    return invalid(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return [];
}

/** `generateName` plus five random characters, as the API server makes them. */
export function generateName(prefix: string): string {
  const bytes = randomBytes(5);
  const suffix = [...bytes]
    .map(b => GENERATED_ALPHABET[b % GENERATED_ALPHABET.length])
    .join('');
  return `${prefix}${suffix}`;
}
