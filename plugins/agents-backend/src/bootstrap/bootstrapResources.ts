import { LoggerService } from '@backstage/backend-plugin-api';
import { validateResource } from '@krate/plugin-agents-common';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';

const ACTOR = 'service:agents-bootstrap';

function yamlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) {
    return [path];
  }
  return readdirSync(path)
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => join(path, name));
}

/**
 * Creates the resources in the configured YAML files or folders that do not exist yet, so an
 * embedded portal starts with its examples. Existing objects are never overwritten: once seeded,
 * the database is the source of truth. Unreadable or invalid documents are logged and skipped.
 */
export async function bootstrapResources(options: {
  paths: string[];
  store: ResourceStore;
  logger: LoggerService;
}): Promise<{ created: number; existing: number; skipped: number }> {
  const { paths, store, logger } = options;
  const counts = { created: 0, existing: 0, skipped: 0 };
  for (const path of paths.map(p => resolve(p))) {
    let files: string[];
    try {
      files = yamlFiles(path);
    } catch (error) {
      logger.error(`Cannot read agents bootstrap path ${path}: ${error}`);
      counts.skipped++;
      continue;
    }
    for (const file of files) {
      for (const [index, doc] of parseAllDocuments(
        readFileSync(file, 'utf8'),
      ).entries()) {
        const object = doc.toJSON() as StoredResource | null;
        if (object === null) continue;
        const validation = validateResource(object);
        if (doc.errors.length > 0 || !validation.valid) {
          const problems = doc.errors.length
            ? doc.errors.map(e => e.message)
            : (
                validation as { errors: { path: string; message: string }[] }
              ).errors.map(e => `${e.path}: ${e.message}`);
          logger.error(
            `Skipping document ${index} of ${file}: ${problems.join('; ')}`,
          );
          counts.skipped++;
          continue;
        }
        const { kind, metadata } = object;
        if (await store.get(kind, metadata.namespace, metadata.name)) {
          counts.existing++;
          continue;
        }
        await store.create(object, { actor: ACTOR });
        counts.created++;
      }
    }
  }
  return counts;
}
