import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';

/** The version of this package, read from its package.json in source and built form alike. */
export function readPackageVersion(): string {
  const path = resolvePackagePath(
    '@krate/plugin-agents-backend',
    'package.json',
  );
  return JSON.parse(readFileSync(path, 'utf8')).version;
}
